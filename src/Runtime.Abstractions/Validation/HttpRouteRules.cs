using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's rules for one HTTP route of a VirtualService.</summary>
internal static class HttpRouteRules
{
    public static void Validate(string path, HttpRoute route, IssueSink issues)
    {
        ValidateActions(path, route, issues);
        for (var i = 0; i < (route.Match?.Count ?? 0); i++)
        {
            ValidateMatch($"{path}.match[{i}]", route.Match![i], issues);
        }

        for (var i = 0; i < (route.Route?.Count ?? 0); i++)
        {
            var destination = route.Route![i];
            DestinationRules.ValidateDestination($"{path}.route[{i}].destination", destination.Destination, issues);
            ValidateHeaders($"{path}.route[{i}].headers", destination.Headers, issues);
        }

        DestinationRules.ValidateWeights($"{path}.route", [.. (route.Route ?? []).Select(r => r.Weight)], issues);
        ValidateRedirect($"{path}.redirect", route.Redirect, issues);
        DurationRules.Validate($"{path}.timeout", route.Timeout, issues);
        ValidateRetries($"{path}.retries", route.Retries, issues);
        FaultRules.Validate($"{path}.fault", route.Fault, issues);
        ValidateMirrors(path, route, issues);
        CorsRules.Validate($"{path}.corsPolicy", route.CorsPolicy, issues);
        ValidateHeaders($"{path}.headers", route.Headers, issues);
        if (route.Rewrite?.UriRegexRewrite is RegexRewrite regexRewrite)
        {
            RegexRules.Validate($"{path}.rewrite.uriRegexRewrite.match", regexRewrite.Match, issues);
            if (route.Rewrite.Uri is not null)
            {
                issues.Error($"{path}.rewrite", "rewrite sets both uri and uriRegexRewrite", "keep only one of them");
            }
        }
    }

    private static void ValidateActions(string path, HttpRoute route, IssueSink issues)
    {
        var hasRoute = route.Route is { Count: > 0 };
        var actions = new[] { ("route", hasRoute), ("redirect", route.Redirect is not null), ("directResponse", route.DirectResponse is not null), ("delegate", route.Delegate is not null) }
            .Where(a => a.Item2).Select(a => a.Item1).ToList();
        if (actions.Count == 0)
        {
            issues.Error(path, "HTTP route needs one of route, redirect, directResponse or delegate", "add route: [{ destination: { host: my-service } }]");
        }
        else if (actions.Count > 1)
        {
            issues.Error(path, $"HTTP route sets {string.Join(" and ", actions)}; only one of route, redirect, directResponse and delegate is allowed", $"keep only {actions[0]}");
        }

        // Istio's range check lets 600 through; so do we.
        if (route.DirectResponse is { Status: var status } && status is not (>= 200 and <= 600))
        {
            issues.Error($"{path}.directResponse.status", $"status {status?.ToString() ?? "(missing)"} is not an HTTP status from 200 to 599", "use a status such as 200 or 503");
        }
    }

    private static void ValidateMatch(string path, HttpMatchRequest match, IssueSink issues)
    {
        StringMatchRules.Validate($"{path}.uri", match.Uri, issues);
        StringMatchRules.Validate($"{path}.scheme", match.Scheme, issues);
        StringMatchRules.Validate($"{path}.method", match.Method, issues);
        StringMatchRules.Validate($"{path}.authority", match.Authority, issues);
        StringMatchRules.ValidateMap($"{path}.headers", match.Headers, issues, headerNames: true);
        StringMatchRules.ValidateMap($"{path}.withoutHeaders", match.WithoutHeaders, issues, headerNames: true);
        StringMatchRules.ValidateMap($"{path}.queryParams", match.QueryParams, issues, headerNames: false);
        NetworkRules.ValidatePort($"{path}.port", match.Port, issues);
    }

    private static void ValidateRedirect(string path, HttpRedirect? redirect, IssueSink issues)
    {
        if (redirect is null)
        {
            return;
        }

        // Istio accepts any 3xx code (0 means the default, 301).
        if (redirect.RedirectCode is int code && code != 0 && code is < 300 or > 399)
        {
            issues.Error($"{path}.redirectCode", $"redirect code {code} is not a redirect status (3xx)", "use a 3xx code such as 301, 302, 307 or 308");
        }

        if (redirect.Port is not null && redirect.DerivePort is not null)
        {
            issues.Error(path, "redirect sets both port and derivePort", "keep only one of them");
        }

        NetworkRules.ValidatePort($"{path}.port", redirect.Port, issues);
    }

    private static void ValidateRetries(string path, HttpRetry? retries, IssueSink issues)
    {
        if (retries is null)
        {
            return;
        }

        if (retries.Attempts is < 0)
        {
            issues.Error($"{path}.attempts", $"retry attempts {retries.Attempts} is negative", "use 0 to disable retries or a positive number");
        }

        DurationRules.Validate($"{path}.perTryTimeout", retries.PerTryTimeout, issues);
        DurationRules.Validate($"{path}.backoff", retries.Backoff, issues);
        var conditions = retries.RetryOn?.Split(',') ?? [];
        if (conditions.Any(c => c.Trim().Length == 0))
        {
            issues.Error($"{path}.retryOn", $"retryOn '{retries.RetryOn}' has an empty condition", "separate conditions with single commas, for example 5xx,connect-failure");
        }

        foreach (var condition in conditions.Select(c => c.Trim()).Where(c => c.Length > 0 && !RetryOnConditions.IsValid(c)))
        {
            issues.Error($"{path}.retryOn", $"'{condition}' is not a retryOn condition", "use 5xx, gateway-error, reset, connect-failure, refused-stream, retriable-4xx, retriable-status-codes, retriable-headers, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, or an HTTP status such as 503");
        }
    }

    private static void ValidateMirrors(string path, HttpRoute route, IssueSink issues)
    {
        if (route.Mirror is not null)
        {
            DestinationRules.ValidateDestination($"{path}.mirror", route.Mirror, issues);
        }

        if (route.Mirror is not null && route.Mirrors is { Count: > 0 })
        {
            issues.Error(path, "HTTP route sets both mirror and mirrors", "move mirror into mirrors");
        }

        PercentRules.Validate($"{path}.mirrorPercentage", route.MirrorPercentage, issues);
        PercentRules.ValidateRange($"{path}.mirrorPercent", route.MirrorPercent, issues);
        for (var i = 0; i < (route.Mirrors?.Count ?? 0); i++)
        {
            DestinationRules.ValidateDestination($"{path}.mirrors[{i}].destination", route.Mirrors![i].Destination, issues);
            PercentRules.Validate($"{path}.mirrors[{i}].percentage", route.Mirrors[i].Percentage, issues);
        }
    }

    private static void ValidateHeaders(string path, HeaderOperations? headers, IssueSink issues)
    {
        foreach (var (side, operation) in new[] { ("request", headers?.Request), ("response", headers?.Response) })
        {
            HeaderRules.ValidateNames($"{path}.{side}.set", operation?.Set?.Keys, issues);
            HeaderRules.ValidateNames($"{path}.{side}.add", operation?.Add?.Keys, issues);
            HeaderRules.ValidateNames($"{path}.{side}.remove", operation?.Remove, issues);
        }
    }
}
