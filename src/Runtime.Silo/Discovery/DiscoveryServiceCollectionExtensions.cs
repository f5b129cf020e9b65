using Microsoft.Extensions.Options;

namespace Runtime.Silo.Discovery;

/// <summary>Registers endpoint discovery and snapshot distribution.</summary>
internal static class DiscoveryServiceCollectionExtensions
{
    public static IServiceCollection AddDiscovery(this IServiceCollection services)
    {
        services.AddOptions<DiscoveryOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DiscoveryOptions>, DiscoveryOptionsValidator>();
        services.AddSingleton<ProxyRegistry>();
        services.AddSingleton<DiscoveryMetrics>();
        services.AddSingleton<SnapshotDistributor>();
        services.AddHostedService(sp => sp.GetRequiredService<SnapshotDistributor>());
        services.AddHostedService<RegistryExpiryService>();
        return services;
    }
}
