package dev.idmint.server.grpc;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.idmint.api.v1.IdServiceGrpc;
import dev.idmint.api.v1.InspectRequest;
import dev.idmint.api.v1.InspectResponse;
import dev.idmint.api.v1.ListNamespacesRequest;
import dev.idmint.api.v1.ListNamespacesResponse;
import dev.idmint.api.v1.NextIdsRequest;
import dev.idmint.api.v1.NextIdsResponse;
import dev.idmint.api.v1.PatternSettings;
import dev.idmint.api.v1.SegmentSettings;
import dev.idmint.api.v1.SnowflakeSettings;
import dev.idmint.api.v1.Uuid7Settings;
import dev.idmint.server.api.ApiException;
import dev.idmint.server.api.Auth;
import dev.idmint.server.api.Caller;
import dev.idmint.server.api.DefinitionView;
import dev.idmint.server.api.IdApi;
import dev.idmint.server.api.Unexpected;
import dev.idmint.server.config.Strategy;
import dev.idmint.server.node.Namespace;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The gRPC half of the v1 API ({@code idmint.v1.IdService}); the same {@link IdApi} as REST. */
public final class IdGrpcService extends IdServiceGrpc.IdServiceImplBase {
  private final IdApi api;
  private final Timer latency;

  public IdGrpcService(IdApi api) {
    this.api = api;
    this.latency = api.metrics().latencyTimer("grpc", "next_ids");
  }

  @Override
  public void nextIds(NextIdsRequest request, StreamObserver<NextIdsResponse> observer) {
    long start = System.nanoTime();
    try {
      ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
      Auth.Grant grant = api.authenticate(authorization(ctx), client(ctx));
      int count = api.checkCount(request.getCount() == 0 ? 1 : request.getCount());
      Namespace ns = api.authorizeMint(grant, request.getNamespace(), count);
      if (ctx != null && IdApi.mayBlock(ns, count)) {
        // May wait for the next segment or the registry: off the event loop, as REST does.
        ctx.blockingTaskExecutor().execute(() -> respondIds(ns, count, start, observer));
      } else {
        respondIds(ns, count, start, observer);
      }
    } catch (ApiException e) {
      observer.onError(toStatus(e));
    } catch (RuntimeException e) {
      observer.onError(toStatus(Unexpected.of(e)));
    }
  }

  private void respondIds(
      Namespace ns, int count, long start, StreamObserver<NextIdsResponse> observer) {
    try {
      NextIdsResponse.Builder response = NextIdsResponse.newBuilder().setNamespace(ns.name());
      if (ns.strategy() == Strategy.UUID7) {
        for (String uuid : api.nextTexts(ns, count)) {
          response.addUuids(uuid);
        }
      } else if (ns.strategy() == Strategy.PATTERN) {
        for (String number : api.nextTexts(ns, count)) {
          response.addNumbers(number);
        }
      } else {
        long[] ids = api.nextIds(ns, count);
        for (long id : ids) {
          response.addIds(id);
        }
        String[] publicIds = api.publicIds(ns, ids);
        if (publicIds != null) {
          for (String publicId : publicIds) {
            response.addPublicIds(publicId);
          }
        }
      }
      observer.onNext(response.build());
      observer.onCompleted();
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } catch (ApiException e) {
      observer.onError(toStatus(e));
    } catch (RuntimeException e) {
      observer.onError(toStatus(Unexpected.of(e)));
    }
  }

  @Override
  public void inspect(InspectRequest request, StreamObserver<InspectResponse> observer) {
    try {
      Namespace.Inspection inspection =
          api.inspect(
              api.authenticate(authorization(), client()), request.getNamespace(), request.getId());
      InspectResponse.Builder response =
          InspectResponse.newBuilder()
              .setNamespace(inspection.namespace())
              .setStrategy(inspection.strategy().id());
      if (inspection.id() != null) {
        response.setId(inspection.id());
      }
      if (inspection.text() != null) {
        response.setText(inspection.text());
      }
      if (inspection.timestamp() != null) {
        response
            .setTimestamp(inspection.timestamp())
            .setWorker(inspection.worker())
            .setSequence(inspection.sequence());
      }
      if (inspection.period() != null) {
        response.setPeriod(inspection.period()).setSequence(inspection.sequence());
      }
      if (inspection.publicId() != null) {
        response.setPublicId(inspection.publicId());
      }
      observer.onNext(response.build());
      observer.onCompleted();
    } catch (ApiException e) {
      observer.onError(toStatus(e));
    } catch (RuntimeException e) {
      observer.onError(toStatus(Unexpected.of(e)));
    }
  }

  @Override
  public void listNamespaces(
      ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
    try {
      ListNamespacesResponse.Builder response = ListNamespacesResponse.newBuilder();
      for (Namespace ns : api.list(api.authenticate(authorization(), client()))) {
        response.addNamespaces(describe(ns));
      }
      observer.onNext(response.build());
      observer.onCompleted();
    } catch (ApiException e) {
      observer.onError(toStatus(e));
    } catch (RuntimeException e) {
      observer.onError(toStatus(Unexpected.of(e)));
    }
  }

  private static dev.idmint.api.v1.Namespace describe(Namespace ns) {
    DefinitionView view = DefinitionView.of(ns.config());
    dev.idmint.api.v1.Namespace.Builder out =
        dev.idmint.api.v1.Namespace.newBuilder().setName(view.name()).setStrategy(view.strategy());
    DefinitionView.Snowflake snowflake = view.snowflake();
    if (snowflake != null) {
      out.setSnowflake(
          SnowflakeSettings.newBuilder()
              .setLayout(snowflake.layout())
              .setTimestampBits(snowflake.timestampBits())
              .setWorkerBits(snowflake.workerBits())
              .setSequenceBits(snowflake.sequenceBits())
              .setEpoch(snowflake.epoch())
              .setTimeUnit(snowflake.timeUnit())
              .setExhaustedAt(snowflake.exhaustedAt()));
    }
    DefinitionView.Segment segment = view.segment();
    if (segment != null) {
      out.setSegment(
          SegmentSettings.newBuilder()
              .setStep(segment.step())
              .setMinStep(segment.minStep())
              .setMaxStep(segment.maxStep())
              .setLoadFactor(segment.loadFactor()));
    }
    DefinitionView.Uuid7 uuid7 = view.uuid7();
    if (uuid7 != null) {
      out.setUuid7(
          Uuid7Settings.newBuilder()
              .setWorkerBits(uuid7.workerBits())
              .setSequenceBits(uuid7.sequenceBits()));
    }
    DefinitionView.Pattern pattern = view.pattern();
    if (pattern != null) {
      out.setPattern(
          PatternSettings.newBuilder()
              .setTemplate(pattern.template())
              .setReset(pattern.reset())
              .setTimeZone(pattern.timeZone()));
    }
    return out.build();
  }

  private static String authorization() {
    return authorization(ServiceRequestContext.currentOrNull());
  }

  private static String client() {
    return client(ServiceRequestContext.currentOrNull());
  }

  private static String authorization(ServiceRequestContext ctx) {
    return ctx == null ? null : ctx.request().headers().get(HttpHeaderNames.AUTHORIZATION);
  }

  private static String client(ServiceRequestContext ctx) {
    return ctx == null ? null : Caller.address(ctx);
  }

  private static io.grpc.StatusRuntimeException toStatus(ApiException e) {
    return GrpcErrors.status(e);
  }
}
