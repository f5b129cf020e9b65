using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// MSH0301: rules are tried in order, so anything after a rule that matches every request (no <c>match</c>, or
/// a match whose only condition is <c>uri prefix "/"</c> or a match-all regex) is dead configuration.
/// </summary>
internal sealed class ShadowedRouteCheck : IAnalysisCheck
{
    private static readonly HashSet<string> MatchAllRegexes = [".*", "^.*", ".*$", "^.*$", "/.*", "^/.*", "^/.*$"];

    public void Run(AnalysisContext context, FindingSink findings)
    {
        foreach (var vs in context.VirtualServices)
        {
            Report(findings, vs, "spec.http", (vs.Spec.Http ?? []).Select(r => Why(r)).ToList());
            Report(findings, vs, "spec.tcp", (vs.Spec.Tcp ?? []).Select(r => r.Match is not { Count: > 0 } || r.Match.Any(IsEverything) ? "has no match condition" : null).ToList());
        }
    }

    private static void Report(FindingSink findings, AnalyzedResource<VirtualServiceSpec> vs, string list, List<string?> catchAll)
    {
        var first = catchAll.Select((why, i) => (why, i)).FirstOrDefault(x => x.why is not null);
        if (first.why is null)
        {
            return;
        }

        for (var j = first.i + 1; j < catchAll.Count; j++)
        {
            findings.Report(vs, AnalysisCodes.RouteShadowed, $"{list}[{j}]",
                $"this rule is never used: {list}[{first.i}] before it {first.why}, so it takes every request",
                $"move {list}[{first.i}] to the end of the list, or narrow its match");
        }
    }

    private static string? Why(HttpRoute route)
    {
        if (route.Match is not { Count: > 0 } matches)
        {
            return "has no match";
        }

        return matches.FirstOrDefault(IsEverything) is { } everything
            ? everything.Uri is { } uri ? $"matches every path ({Describe(uri)})" : "has a match with no condition"
            : null;
    }

    private static string Describe(StringMatch uri) => uri.Prefix is not null ? $"uri prefix \"{uri.Prefix}\"" : $"uri regex \"{uri.Regex}\"";

    private static bool IsEverything(HttpMatchRequest m) =>
        (m.Uri is null || IsEveryPath(m.Uri))
        && m.Scheme is null && m.Method is null && m.Authority is null
        && m.Headers is not { Count: > 0 } && m.QueryParams is not { Count: > 0 } && m.WithoutHeaders is not { Count: > 0 }
        && m.Port is null && m.SourceLabels is not { Count: > 0 } && m.Gateways is not { Count: > 0 } && m.SourceNamespace is null;

    private static bool IsEveryPath(StringMatch uri) =>
        uri.Exact is null && (uri.Prefix == "/" || (uri.Prefix is null && uri.Regex is not null && MatchAllRegexes.Contains(uri.Regex)));

    private static bool IsEverything(L4MatchAttributes m) =>
        m.DestinationSubnets is not { Count: > 0 } && m.Port is null && m.SourceLabels is not { Count: > 0 }
        && m.Gateways is not { Count: > 0 } && m.SourceNamespace is null;
}
