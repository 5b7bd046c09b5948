package dev.idmint.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.idmint.core.InvalidConfigurationException;
import dev.idmint.core.publicid.PublicIdCodec;
import dev.idmint.integrations.jackson.PublicIdModule;
import dev.idmint.integrations.publicid.PublicIdCodecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Public IDs made locally from {@code idmint.client.public-ids.<namespace>.*}: a {@link
 * PublicIdCodecs} bean (for application code, e.g. a public ID in a URL) and, with Jackson on the
 * class path, a {@link PublicIdModule} bean that Spring Boot registers on its {@code ObjectMapper}
 * so that {@code @PublicId} properties serialise as public IDs. Neither needs an idmint node or
 * {@code idmint.client.endpoints}.
 *
 * <p>A namespace with a missing or bad key, prefix, version or alphabet fails startup with one
 * {@link InvalidConfigurationException} listing every problem under its property path; no key is
 * ever echoed.
 */
@AutoConfiguration
@ConditionalOnClass({PublicIdCodecs.class, PublicIdCodec.class})
@EnableConfigurationProperties(IdMintClientProperties.class)
public class IdMintPublicIdAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public PublicIdCodecs idmintPublicIdCodecs(IdMintClientProperties properties) {
    List<PublicIdCodec> codecs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, IdMintClientProperties.PublicIds> entry :
        properties.getPublicIds().entrySet()) {
      String path = "idmint.client.public-ids." + entry.getKey();
      IdMintClientProperties.PublicIds p = entry.getValue();
      try {
        codecs.add(
            PublicIdCodec.builder()
                .namespace(entry.getKey())
                .prefix(p.getPrefix())
                .alphabet(p.getAlphabet())
                .current(p.getCurrent())
                .checkCharacters(p.getCheckCharacters())
                .keys(p.getKeys())
                .build());
      } catch (InvalidConfigurationException e) {
        e.problems().forEach(problem -> problems.add(path + ": " + problem));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException("idmint.client.public-ids", problems);
    }
    return PublicIdCodecs.of(codecs);
  }

  /** Spring Boot's Jackson auto-configuration registers every {@code Module} bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ObjectMapper.class, PublicIdModule.class})
  static class Jackson {
    @Bean
    @ConditionalOnMissingBean
    PublicIdModule idmintPublicIdModule(PublicIdCodecs codecs) {
      return new PublicIdModule(codecs);
    }
  }
}
