using Microsoft.Extensions.DependencyInjection;

namespace Runtime.Silo.Traffic;

/// <summary>Registers the traffic reports' store and the service graph built from it.</summary>
internal static class TrafficServiceCollectionExtensions
{
    /// <summary>Adds <see cref="TrafficStore"/> and <see cref="ServiceGraphBuilder"/>.</summary>
    public static IServiceCollection AddServiceGraph(this IServiceCollection services)
    {
        services.AddSingleton<TrafficStore>();
        services.AddSingleton<ServiceGraphBuilder>();
        services.AddSingleton<Dashboard.INodeEdgeSource, GraphNodeEdges>(); // the dashboard's node view
        return services;
    }
}
