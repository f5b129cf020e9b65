using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Dashboard;

/// <summary>
/// Maps the dashboard on the silo's HTTP listener: the UI under <c>/dashboard/</c> and its JSON API under
/// <c>/api/dashboard/</c> (proxies, config, node; the graph is mapped by the traffic feature).
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers what the endpoints read.</summary>
    /// <param name="services">The silo's services.</param>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<DashboardAddress>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DashboardViews>(sp));
        return services;
    }

    /// <summary>Maps the UI and the proxies, config and node endpoints.</summary>
    /// <param name="http">Route builder of the HTTP listener.</param>
    public static void MapDashboard(this IEndpointRouteBuilder http)
    {
        // "/dashboard" also matches "/dashboard/" (routing ignores a trailing slash): only the bare form redirects.
        http.MapMethods("/dashboard", ["GET", "HEAD"], (HttpContext context, DashboardAssets assets) =>
            context.Request.Path.Value!.EndsWith('/') ? ServeAsset(null, context, assets) : Results.Redirect("/dashboard/"));
        http.MapMethods("/dashboard/{**path}", ["GET", "HEAD"], (string? path, HttpContext context, DashboardAssets assets) => ServeAsset(path, context, assets));
        http.MapGet("/api/dashboard/proxies", (HttpContext context, DashboardViews views) =>
            RejectUnknownParameters(context.Request.Query, []) ?? Results.Json(views.Proxies(), Json));
        http.MapGet("/api/dashboard/config", async (HttpContext context, DashboardViews views) =>
            RejectUnknownParameters(context.Request.Query, []) ?? Results.Json(await views.ConfigAsync(context.RequestAborted).ConfigureAwait(false), Json));
        http.MapGet("/api/dashboard/node", (HttpContext context, DashboardViews views) => Node(context.Request.Query, views));
    }

    private static IResult Node(IQueryCollection query, DashboardViews views)
    {
        if (RejectUnknownParameters(query, ["namespace", "service", "version"]) is { } rejected)
        {
            return rejected;
        }

        string?[] values = [Single(query, "namespace"), Single(query, "service"), Single(query, "version")];
        string[] names = ["namespace", "service", "version"];
        for (var i = 0; i < names.Length; i++)
        {
            var value = values[i];
            if (value is null)
            {
                return BadRequest(names[i], $"query parameter '{names[i]}' is required (exactly once), e.g. /api/dashboard/node?namespace=default&service=reviews&version=v1");
            }

            if (!ServiceHosts.IsValidName(value) && !(names[i] == "version" && IsLabelValue(value)))
            {
                return BadRequest(names[i], $"query parameter '{names[i]}' value '{value}' is not a valid {names[i]} name");
            }
        }

        return views.Node(values[0]!, values[1]!, values[2]!) is { } node
            ? Results.Json(node, Json)
            : Results.Json(new { error = $"no registered proxy for node {values[0]}/{values[1]}/{values[2]}" }, Json, statusCode: StatusCodes.Status404NotFound);
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    /// <summary>A Kubernetes label value: up to 63 of [A-Za-z0-9-_.], starting and ending alphanumeric.</summary>
    private static bool IsLabelValue(string value) =>
        value.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static IResult? RejectUnknownParameters(IQueryCollection query, string[] known)
    {
        var unknown = query.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal));
        return unknown is null
            ? null
            : BadRequest(unknown, known.Length == 0
                ? $"unknown query parameter '{unknown}': this endpoint takes none"
                : $"unknown query parameter '{unknown}'; known: {string.Join(", ", known)}");
    }

    private static IResult BadRequest(string parameter, string message) =>
        Results.Json(new { error = message, parameter }, Json, statusCode: StatusCodes.Status400BadRequest);

    private static IResult ServeAsset(string? path, HttpContext context, DashboardAssets assets)
    {
        if (assets.Find(path) is not { } asset)
        {
            return Results.Text($"no dashboard file '{path}'\n", statusCode: StatusCodes.Status404NotFound);
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        // Revalidate every load: a silo upgrade changes the files behind the same URLs, and a 304 costs one round trip.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch is { Count: > 0 } match && Matches(match, asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = asset.ContentType;
            context.Response.ContentLength = asset.Content.Length;
            return Results.Empty;
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static bool Matches(StringValues ifNoneMatch, string etag) =>
        ifNoneMatch.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).Any(v => v == "*" || v == etag || v == "W/" + etag);
}
