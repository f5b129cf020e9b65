using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Runtime.Silo.Traffic;

/// <summary><c>GET /api/dashboard/graph?window=&lt;seconds&gt;</c> on the silo's HTTP port.</summary>
internal static class ServiceGraphEndpoint
{
    /// <summary>The route.</summary>
    public const string Path = "/api/dashboard/graph";

    /// <summary>Maps the graph API on <paramref name="http"/>.</summary>
    public static void MapServiceGraph(this IEndpointRouteBuilder http) =>
        http.MapGet(Path, async (HttpRequest request, ServiceGraphSource graph) =>
            ParseWindow(request.Query["window"]) is { } window
                ? Results.Json(await graph.BuildAsync(window, request.HttpContext.RequestAborted).ConfigureAwait(false), TrafficJsonContext.Default.ServiceGraph)
                : Results.Json(
                    new GraphError($"query parameter 'window' must be a whole number of seconds from {TrafficLimits.MinWindowSeconds} to {TrafficLimits.MaxWindowSeconds} (default {TrafficLimits.DefaultWindowSeconds}); got '{request.Query["window"]}'"),
                    TrafficJsonContext.Default.GraphError, statusCode: StatusCodes.Status400BadRequest));

    /// <summary>The window in seconds, the default when absent; null when it is not a whole number in range.</summary>
    public static int? ParseWindow(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 0)
        {
            return TrafficLimits.DefaultWindowSeconds;
        }

        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= TrafficLimits.MinWindowSeconds and <= TrafficLimits.MaxWindowSeconds
            ? seconds
            : null;
    }
}
