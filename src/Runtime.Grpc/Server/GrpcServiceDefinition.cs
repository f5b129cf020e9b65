using Google.Protobuf.Reflection;

namespace Runtime.Grpc.Server;

/// <summary>A gRPC service with its method handlers, validated against its descriptor. Map it with <c>MapGrpcService</c>.</summary>
public sealed class GrpcServiceDefinition
{
    internal GrpcServiceDefinition(ServiceDescriptor service, IReadOnlyList<GrpcMethodHandler> handlers)
    {
        Service = service;
        Handlers = handlers;
    }

    /// <summary>The service's descriptor, e.g. <c>ConfigService.Descriptor</c>.</summary>
    public ServiceDescriptor Service { get; }

    internal IReadOnlyList<GrpcMethodHandler> Handlers { get; }

    /// <summary>Starts defining the handlers of a service.</summary>
    /// <param name="service">The service descriptor from the generated code, e.g. <c>ConfigReflection.Descriptor.Services[0]</c>.</param>
    /// <returns>A builder; finish with <see cref="GrpcServiceDefinitionBuilder.Build"/>.</returns>
    public static GrpcServiceDefinitionBuilder For(ServiceDescriptor service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new GrpcServiceDefinitionBuilder(service);
    }
}
