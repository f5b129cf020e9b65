using Google.Protobuf;
using Runtime.Grpc.Server.Reflection.V1;

namespace Runtime.Grpc.Server.Reflection;

/// <summary>
/// gRPC server reflection over the services mapped on this host. One implementation serves both
/// grpc.reflection.v1 and v1alpha: their messages are wire-identical, so v1alpha messages are
/// re-parsed as v1 ones.
/// </summary>
internal sealed partial class ServerReflectionService(GrpcServiceRegistry registry)
{
    private const string MethodName = "ServerReflectionInfo";

    private (System.Collections.Immutable.ImmutableArray<Google.Protobuf.Reflection.ServiceDescriptor> Services, DescriptorIndex Index)? _cache;

    public IReadOnlyList<GrpcServiceDefinition> CreateDefinitions() =>
    [
        GrpcServiceDefinition.For(ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ServerReflectionRequest, ServerReflectionResponse>(MethodName, HandleV1Async)
            .Build(),
        GrpcServiceDefinition.For(V1Alpha.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>(MethodName, HandleV1AlphaAsync)
            .Build(),
    ];

    /// <summary>The index of the services mapped so far, rebuilt only when a service was mapped since.</summary>
    internal DescriptorIndex CurrentIndex()
    {
        var services = registry.Services;
        if (_cache is { } cache && cache.Services == services)
        {
            return cache.Index;
        }

        var index = new DescriptorIndex(services);
        _cache = (services, index);
        return index;
    }

    private async Task HandleV1Async(
        IAsyncEnumerable<ServerReflectionRequest> requests,
        IGrpcStreamWriter<ServerReflectionResponse> responses,
        GrpcCallContext context)
    {
        await foreach (var request in requests.ConfigureAwait(false))
        {
            await responses.WriteAsync(Answer(CurrentIndex(), request), context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleV1AlphaAsync(
        IAsyncEnumerable<V1Alpha.ServerReflectionRequest> requests,
        IGrpcStreamWriter<V1Alpha.ServerReflectionResponse> responses,
        GrpcCallContext context)
    {
        await foreach (var request in requests.ConfigureAwait(false))
        {
            var answer = Answer(CurrentIndex(), ServerReflectionRequest.Parser.ParseFrom(request.ToByteString()));
            await responses.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken)
                .ConfigureAwait(false);
        }
    }
}
