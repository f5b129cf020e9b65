using System.CommandLine;
using Runtime.Abstractions.Http;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Cli.Api;
using Runtime.Cli.Output;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl x authz check PROXY [request flags] [-o text|json]</c>: the AuthorizationPolicies in force at one
/// sidecar, in evaluation order, and a dry-run decision for a described request, computed by the same evaluator
/// the sidecar runs on the snapshot the control plane last pushed to it.
/// </summary>
internal static class AuthzCommand
{
    private static readonly string[] Formats = ["text", "json"];

    public static Command Create(CliConsole console)
    {
        var proxy = new Argument<string>("proxy") { Description = "Proxy id, instance name, or <service>.<namespace> when it has one instance (see meshctl proxy-status)" };
        var method = new Option<string>("--method") { Description = "Request method (default GET); a method the sidecar refuses (e.g. lower-case) is reported as 400" };
        var path = new Option<string>("--path") { Description = "Request path and query as sent (default /); made canonical as the sidecar does, or reported as 400" };
        var host = new Option<string>("--host") { Description = "Host header (default <service>.<namespace>.svc.cluster.local)" };
        var principal = new Option<string>("--principal") { Description = "The caller's mTLS principal, <trust-domain>/ns/<namespace>/sa/<service-account>; without it and --namespace the request is plaintext" };
        var ns = new Option<string>("--namespace") { Description = "The caller's namespace (with no --principal: its default service account)" };
        var requestPrincipal = new Option<string>("--request-principal") { Description = "The validated JWT's <iss>/<sub>; without it the request carries no token" };
        var headers = new Option<string[]>("--header") { Description = "A request header name=value; repeat for more (or for duplicates)", AllowMultipleArgumentsPerToken = false };
        var sourceIp = new Option<string>("--source-ip") { Description = "The caller's address (source.ip, ipBlocks, remoteIpBlocks)" };
        var port = new Option<int?>("--port") { Description = "The destination port (default the workload's application port)" };
        var sni = new Option<string>("--sni") { Description = "The server name of the caller's TLS ClientHello (connection.sni); needs --principal or --namespace" };
        var normalization = new Option<string>("--path-normalization") { Description = $"The sidecar's --path-normalization: {CanonicalPathModeNames.All} (default STRICT)" };
        var output = new Option<string>("--output", "-o") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong(Formats);

        var check = new Command("check", "List the AuthorizationPolicies in force at a sidecar in evaluation order, and decide a described request as it would")
        {
            proxy, method, path, host, principal, ns, requestPrincipal, headers, sourceIp, port, sni, normalization, output,
        };
        CommandRunner.SetAction(check, console, async (parse, cancellationToken) =>
        {
            var modeName = parse.GetValue(normalization);
            var mode = modeName is null ? CanonicalPathMode.Strict
                : CanonicalPathModeNames.Parse(modeName) ?? throw new CliException($"--path-normalization '{modeName}' is not one of {CanonicalPathModeNames.All}");
            var flags = new AuthzCheckInput.Flags(
                parse.GetValue(method), parse.GetValue(path), parse.GetValue(host), parse.GetValue(principal), parse.GetValue(ns), parse.GetValue(requestPrincipal),
                parse.GetValue(headers) ?? [], parse.GetValue(sourceIp), parse.GetValue(port), parse.GetValue(sni), mode);

            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var view = await client.GetProxyAuthorizationAsync(parse.GetValue(proxy)!, cancellationToken).ConfigureAwait(false);
            var problems = new List<string>();
            var evaluator = AuthorizationPolicyCompiler.Compile(view.Snapshot, view.Workload, view.TrustDomains, problems);
            AuthzCheckReport.DryRun? run = null;
            if (flags.DescribeRequest)
            {
                var input = AuthzCheckInput.From(flags, view.Workload, view.AppPort, view.TrustDomains);
                run = new AuthzCheckReport.DryRun(input, input.Refusal is null ? evaluator.Evaluate(input.Request) : null);
            }

            if (parse.GetValue(output) == "json")
            {
                AuthzCheckReport.WriteJson(console.Out, view, evaluator, problems, run);
            }
            else
            {
                AuthzCheckReport.WriteText(console.Out, view, evaluator, problems, run);
            }

            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return new Command("authz", "AuthorizationPolicy as a sidecar enforces it") { check };
    }
}
