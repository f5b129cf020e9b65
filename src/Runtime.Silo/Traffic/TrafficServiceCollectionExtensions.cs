using Microsoft.Extensions.DependencyInjection;

namespace Runtime.Silo.Traffic;

/// <summary>Registers the traffic reports' store and the service graph built from it.</summary>
internal static class TrafficServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TrafficStore"/>, <see cref="ServiceGraphBuilder"/> and <see cref="ServiceGraphSource"/>.</summary>
    public static IServiceCollection AddServiceGraph(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var store = ActivatorUtilities.CreateInstance<TrafficStore>(sp);
            if (sp.GetService<Metrics.SiloMetrics>() is { } metrics)
            {
                TrafficMetrics.Observe(metrics.Meter, store);
            }

            return store;
        });
        services.AddSingleton<ServiceGraphBuilder>();
        services.AddSingleton<ServiceGraphSource>(); // Prometheus instead, when --prometheus-url is set
        services.AddSingleton<Dashboard.INodeEdgeSource, GraphNodeEdges>(); // the dashboard's node view
        return services;
    }
}
