using Microsoft.Extensions.DependencyInjection;

namespace Runtime.Sidecar.Tcp;

/// <summary>Registers TCP tunnelling (CONNECT on the outbound and inbound listeners).</summary>
internal static class TcpServiceCollectionExtensions
{
    /// <summary>Adds the router, connection limits, both tunnel ends and the listener middleware.</summary>
    public static IServiceCollection AddTcpTunnels(this IServiceCollection services)
    {
        services.AddSingleton<TcpRouter>();
        services.AddSingleton<TcpConnectionLimits>();
        services.AddSingleton<TcpOutboundTunnel>();
        services.AddSingleton<TcpInboundTunnel>();
        services.AddSingleton<TcpTunnelListener>();
        return services;
    }
}
