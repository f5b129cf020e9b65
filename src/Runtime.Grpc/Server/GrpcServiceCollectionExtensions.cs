using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Grpc.Server.Reflection;

namespace Runtime.Grpc.Server;

/// <summary>Registers the gRPC server transport.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <c>MapGrpcService</c> and <c>MapGrpcReflection</c> need. The Kestrel endpoint serving
    /// gRPC over cleartext must be HTTP/2 only (<c>HttpProtocols.Http2</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GrpcServerOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcCallInvoker>();
        services.TryAddSingleton<ServerReflectionService>();
        return services;
    }

    /// <summary>Adds the gRPC server transport and configures its limits.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets <see cref="GrpcServerOptions"/>, e.g. the maximum message size.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, Action<GrpcServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddGrpcTransport().Configure(configure);
        return services;
    }
}
