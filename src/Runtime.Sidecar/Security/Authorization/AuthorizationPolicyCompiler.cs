using Runtime.Abstractions.Common;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>
/// Selects the AuthorizationPolicies of a snapshot that apply to this workload and compiles them: mesh-wide ones
/// from the root namespace (<c>mesh-system</c>, or <c>istio-system</c>), the workload namespace's ones without a
/// selector, and those whose selector (in either namespace) or Service targetRef names this workload.
/// </summary>
internal static class AuthorizationPolicyCompiler
{

    /// <summary>Compiles the policies of <paramref name="snapshot"/> that apply to <paramref name="self"/>; problems are reported, never fatal.</summary>
    public static AuthorizationEvaluator Compile(ProxySnapshot snapshot, SidecarIdentity self, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(problems);
        var compiled = new List<CompiledPolicy>();
        foreach (var resource in snapshot.Resources)
        {
            if (!MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind) || kind != MeshKinds.AuthorizationPolicy)
            {
                continue;
            }

            var ns = resource.Metadata.Namespace;
            if (ns != self.Namespace && !RootNamespaces.Contains(ns))
            {
                continue;
            }

            var name = $"{ns}/{resource.Metadata.Name}";
            var bound = kind.Bind(resource.Spec);
            var issues = bound.HasErrors ? bound.Issues : ManifestReader.Validate(resource);
            if (bound.Value is not AuthorizationPolicySpec spec || issues.Any(i => i.Severity == IssueSeverity.Error))
            {
                // The control plane refuses such a policy; if one arrives anyway it denies rather than opens.
                var errors = string.Join("; ", issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.ToString()));
                problems.Add($"AuthorizationPolicy {name} is invalid and denies every request until fixed: {errors}");
                compiled.Add(new CompiledPolicy(name, AuthorizationAction.Deny, [static _ => true]));
                continue;
            }

            if (!Selects(spec, ns, self))
            {
                continue;
            }

            var action = spec.Action ?? AuthorizationAction.Allow;
            var rules = new RuleCompiler(name, action, problems);
            compiled.Add(new CompiledPolicy(name, action, [.. (spec.Rules ?? []).Select(rules.Compile)]));
        }

        return compiled.Count == 0 ? AuthorizationEvaluator.Empty : new AuthorizationEvaluator(compiled);
    }

    /// <summary>Whether a policy of <paramref name="policyNamespace"/> applies to <paramref name="self"/>.</summary>
    public static bool Selects(AuthorizationPolicySpec spec, string policyNamespace, SidecarIdentity self)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(self);
        var targets = spec.TargetRefs is { Count: > 0 } refs ? refs : spec.TargetRef is { } one ? [one] : [];
        if (targets.Count > 0)
        {
            // Sidecars are attached through their Service; Gateway targets are for gateways.
            return policyNamespace == self.Namespace && targets.Any(t => IsService(t) && t.Name == self.Service);
        }

        if (spec.Selector is null)
        {
            return true;
        }

        return (spec.Selector.MatchLabels ?? new Dictionary<string, string>())
            .All(label => self.Labels.TryGetValue(label.Key, out var value) && value == label.Value);
    }

    private static bool IsService(PolicyTargetReference target) =>
        target.Kind == "Service" && (string.IsNullOrEmpty(target.Group) || target.Group == "core");
}
