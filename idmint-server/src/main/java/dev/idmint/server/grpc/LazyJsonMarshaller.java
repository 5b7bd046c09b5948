package dev.idmint.server.grpc;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The gRPC-JSON marshaller of a service (Armeria's default), built at its first JSON call instead
 * of at start. Building it generates a serializer class per message with Byte Buddy: some 1,000
 * classes loaded before the port listens, for a format the Java client and most callers never use.
 * Use: {@code GrpcService.builder().jsonMarshallerFactory(LazyJsonMarshaller::new)}. The wire
 * format is unchanged; only the first gRPC-JSON (or gRPC-Web JSON) call pays the build.
 */
public final class LazyJsonMarshaller implements GrpcJsonMarshaller {
  private final ServiceDescriptor service;
  private volatile GrpcJsonMarshaller delegate;

  public LazyJsonMarshaller(ServiceDescriptor service) {
    this.service = service;
  }

  private GrpcJsonMarshaller delegate() {
    GrpcJsonMarshaller d = delegate;
    if (d == null) {
      synchronized (this) {
        d = delegate;
        if (d == null) {
          d = GrpcJsonMarshaller.of(service);
          delegate = d;
        }
      }
    }
    return d;
  }

  @Override
  public <T> void serializeMessage(
      MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream out) throws IOException {
    delegate().serializeMessage(marshaller, message, out);
  }

  @Override
  public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream in)
      throws IOException {
    return delegate().deserializeMessage(marshaller, in);
  }
}
