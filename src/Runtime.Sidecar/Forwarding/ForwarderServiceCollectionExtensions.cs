using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Registers the forwarder. Nothing else is required: the forwarder does not depend on the config system.</summary>
internal static class ForwarderServiceCollectionExtensions
{
    /// <summary>Adds a singleton <see cref="IHttpForwarder"/> with its own shared default client.</summary>
    public static IServiceCollection AddHttpForwarder(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.TryAddSingleton<IHttpForwarder>(sp => new HttpForwarder(sp.GetRequiredService<ILogger<HttpForwarder>>()));
        return services;
    }
}
