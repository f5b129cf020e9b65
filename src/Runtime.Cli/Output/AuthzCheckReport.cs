using System.Globalization;
using System.Text;
using System.Text.Json;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Cli.Api;
using Runtime.Cli.Commands;

namespace Runtime.Cli.Output;

/// <summary>
/// What <c>meshctl x authz check</c> prints: the policies that apply to the proxy in evaluation order, compile
/// problems, and for a described request the decision with the deciding policy and rule, worded as the sidecar
/// words it (403 <c>RBAC: access denied</c>, the reason of its access log).
/// </summary>
internal static class AuthzCheckReport
{
    /// <summary>The outcome of a dry run: the request and its decision, or the 400 refusal that comes before authorization.</summary>
    public sealed record DryRun(AuthzCheckInput Input, AuthorizationDecision? Decision);

    public static void WriteText(TextWriter output, ProxyAuthorizationView view, AuthorizationEvaluator evaluator, IReadOnlyList<string> problems, DryRun? run)
    {
        var workload = view.Workload;
        output.WriteLine($"Proxy:          {view.Instance} ({workload.Service}.{workload.Namespace}), config version {view.Snapshot.Version}");
        output.WriteLine($"Labels:         {Labels(workload.Labels)}");
        output.WriteLine($"Trust domains:  {(view.TrustDomains.Count == 0 ? "unknown (principals match as written)" : string.Join(", ", view.TrustDomains))}");
        output.WriteLine();
        var policies = evaluator.InEvaluationOrder.ToList();
        if (policies.Count == 0)
        {
            output.WriteLine("No AuthorizationPolicy applies to this workload: every request is allowed.");
        }
        else
        {
            TextTable.Write(output, ["ORDER", "ACTION", "POLICY", "SCOPE", "RULES"], [.. policies.Select((p, i) => (IReadOnlyList<string>)[
                (i + 1).ToString(CultureInfo.InvariantCulture), ActionName(p.Action), p.Name, Scope(p), p.Rules.Count.ToString(CultureInfo.InvariantCulture)])]);
        }

        foreach (var problem in problems)
        {
            output.WriteLine("warning: " + problem);
        }

        if (run is null)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Request:        " + Describe(run.Input));
        output.WriteLine("Decision:       " + Verdict(run));
    }

    public static void WriteJson(TextWriter output, ProxyAuthorizationView view, AuthorizationEvaluator evaluator, IReadOnlyList<string> problems, DryRun? run)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("proxy", view.Instance);
            json.WriteString("proxyId", view.Snapshot.ProxyId);
            json.WriteString("service", view.Workload.Service);
            json.WriteString("namespace", view.Workload.Namespace);
            json.WriteString("version", view.Snapshot.Version);
            json.WriteStartObject("labels");
            foreach (var label in view.Workload.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteString(label.Key, label.Value);
            }

            json.WriteEndObject();
            Strings(json, "trustDomains", view.TrustDomains);
            json.WriteStartArray("policies");
            var order = 0;
            foreach (var policy in evaluator.InEvaluationOrder)
            {
                json.WriteStartObject();
                json.WriteNumber("order", ++order);
                json.WriteString("action", ActionName(policy.Action));
                json.WriteString("name", policy.Name);
                json.WriteString("scope", policy.Scope.ToString().ToLowerInvariant());
                json.WriteString("selector", policy.Selector);
                json.WriteNumber("rules", policy.Rules.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Strings(json, "problems", problems);
            if (run is not null)
            {
                WriteRun(json, run);
            }

            json.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteRun(Utf8JsonWriter json, DryRun run)
    {
        var request = run.Input.Request;
        json.WriteStartObject("request");
        json.WriteString("method", request.Method);
        json.WriteString("path", run.Input.RawPath);
        json.WriteString("canonicalPath", run.Input.Refusal is null ? request.Path : null);
        json.WriteString("host", request.Host);
        json.WriteNumber("port", request.DestinationPort);
        json.WriteString("principal", request.Peer?.Principal);
        json.WriteString("namespace", request.Peer?.Namespace);
        json.WriteString("requestPrincipal", request.Jwt?.Principal);
        json.WriteString("sourceIp", request.SourceIp?.ToString());
        json.WriteString("sni", request.Sni);
        json.WriteEndObject();
        json.WriteStartObject("decision");
        if (run.Decision is not { } decision)
        {
            json.WriteNumber("status", 400);
            json.WriteString("result", "BAD_REQUEST");
            json.WriteString("reason", run.Input.Refusal);
        }
        else
        {
            json.WriteNumber("status", decision.Allowed ? 200 : 403);
            json.WriteString("result", decision.Allowed ? "ALLOW" : "DENY");
            json.WriteString("policy", decision.Policy);
            if (decision.Policy is null)
            {
                json.WriteNull("rule");
            }
            else
            {
                json.WriteNumber("rule", decision.RuleIndex);
            }

            json.WriteString("action", decision.Action is { } action ? ActionName(action) : null);
            json.WriteString("reason", decision.Reason);
            json.WriteString("audit", decision.Audit);
        }

        json.WriteEndObject();
    }

    private static string Verdict(DryRun run)
    {
        if (run.Decision is not { } decision)
        {
            return $"400 Bad Request before authorization: {run.Input.Refusal}";
        }

        var verdict = decision.Allowed ? "ALLOW" : "DENY (403 RBAC: access denied)";
        var by = decision.Policy is null ? "" : string.Create(CultureInfo.InvariantCulture, $" by policy {decision.Policy} rule {decision.RuleIndex}");
        var audit = decision.Audit is null ? "" : $"; audited by {decision.Audit}";
        return $"{verdict}{by}: {decision.Reason}{audit}";
    }

    private static string Describe(AuthzCheckInput input)
    {
        var request = input.Request;
        var path = input.Refusal is not null || request.Path == input.RawPath ? input.RawPath : $"{input.RawPath} (canonical {request.Path})";
        var parts = new List<string>
        {
            $"{request.Method} {path}",
            "host " + (request.HostPort is { } hostPort ? string.Create(CultureInfo.InvariantCulture, $"{request.Host}:{hostPort}") : request.Host),
            string.Create(CultureInfo.InvariantCulture, $"port {request.DestinationPort}"),
            request.Peer is { } peer ? $"mTLS principal {peer.Principal}" : "plaintext (no principal)",
        };
        if (request.Sni is { } sni)
        {
            parts.Add("SNI " + sni);
        }

        parts.Add(request.Jwt is { } jwt ? "request principal " + jwt.Principal : "no JWT");
        if (request.SourceIp is { } source)
        {
            parts.Add("from " + source);
        }

        return string.Join(", ", parts);
    }

    private static string Scope(CompiledPolicy policy) => policy.Scope switch
    {
        AuthorizationPolicyScope.Mesh => "mesh",
        AuthorizationPolicyScope.Namespace => "namespace",
        _ => "workload " + policy.Selector,
    };

    private static string ActionName(AuthorizationAction action) => action.ToString().ToUpperInvariant();

    private static string Labels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? "<none>" : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
