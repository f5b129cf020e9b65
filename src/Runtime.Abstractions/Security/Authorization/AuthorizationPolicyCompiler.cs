using Runtime.Abstractions.Common;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// Selects the AuthorizationPolicies of a snapshot that apply to a workload and compiles them: mesh-wide ones
/// from the root namespace (<c>mesh-system</c>, or <c>istio-system</c>), the workload namespace's ones without a
/// selector, and those whose selector (in either namespace) or Service targetRef names this workload. The sidecar
/// and <c>meshctl x authz check</c> both decide through it.
/// </summary>
public static class AuthorizationPolicyCompiler
{
    /// <summary>
    /// Compiles the policies of <paramref name="snapshot"/> that apply to <paramref name="workload"/>, principals
    /// widened to <paramref name="trustDomains"/> (the mesh trust domain first, then its aliases; empty when unknown).
    /// Problems are reported, never fatal: a broken part fails closed.
    /// </summary>
    public static AuthorizationEvaluator Compile(ProxySnapshot snapshot, AuthorizationWorkload workload, IReadOnlyList<string> trustDomains, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(trustDomains);
        ArgumentNullException.ThrowIfNull(problems);
        return Compile(Select(snapshot, workload, problems), [.. trustDomains], problems);
    }

    internal static AuthorizationEvaluator Compile(IReadOnlyList<SelectedPolicy> selected, IReadOnlyList<string> trustDomains, ICollection<string> problems)
    {
        if (selected.Count == 0)
        {
            return AuthorizationEvaluator.Empty;
        }

        var compiled = new List<CompiledPolicy>(selected.Count);
        foreach (var policy in selected)
        {
            if (policy.Spec is not { } spec)
            {
                compiled.Add(new CompiledPolicy(policy.Name, AuthorizationAction.Deny, [static _ => true]) { Scope = policy.Scope, Selector = policy.Selector });
                continue;
            }

            var action = spec.Action ?? AuthorizationAction.Allow;
            var rules = new RuleCompiler(policy.Name, action, trustDomains, problems);
            compiled.Add(new CompiledPolicy(policy.Name, action, [.. (spec.Rules ?? []).Select(rules.Compile)]) { Scope = policy.Scope, Selector = policy.Selector });
        }

        return new AuthorizationEvaluator(compiled, selected, trustDomains);
    }

    private static List<SelectedPolicy> Select(ProxySnapshot snapshot, AuthorizationWorkload workload, ICollection<string> problems)
    {
        var selected = new List<SelectedPolicy>();
        foreach (var resource in snapshot.Resources)
        {
            if (!MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind) || kind != MeshKinds.AuthorizationPolicy)
            {
                continue;
            }

            var ns = resource.Metadata.Namespace;
            var root = RootNamespaces.Contains(ns);
            if (ns != workload.Namespace && !root)
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
                selected.Add(new SelectedPolicy(name, root ? AuthorizationPolicyScope.Mesh : AuthorizationPolicyScope.Namespace, "", null));
                continue;
            }

            if (ScopeOf(spec, ns, workload) is { } scope)
            {
                selected.Add(new SelectedPolicy(name, scope.Scope, scope.Selector, spec));
            }
        }

        return selected;
    }

    private static (AuthorizationPolicyScope Scope, string Selector)? ScopeOf(AuthorizationPolicySpec spec, string policyNamespace, AuthorizationWorkload workload)
    {
        var targets = spec.TargetRefs is { Count: > 0 } refs ? refs : spec.TargetRef is { } one ? [one] : [];
        if (targets.Count > 0)
        {
            // Sidecars are attached through their Service; Gateway targets are for gateways.
            return policyNamespace == workload.Namespace && targets.Any(t => IsService(t) && t.Name == workload.Service)
                ? (AuthorizationPolicyScope.Workload, "Service/" + workload.Service)
                : null;
        }

        if (spec.Selector?.MatchLabels is not { Count: > 0 } labels)
        {
            // No selector, or an empty one: every workload of the namespace (of the mesh, from the root namespace).
            return (RootNamespaces.Contains(policyNamespace) ? AuthorizationPolicyScope.Mesh : AuthorizationPolicyScope.Namespace, "");
        }

        return labels.All(label => workload.Labels.TryGetValue(label.Key, out var value) && value == label.Value)
            ? (AuthorizationPolicyScope.Workload, string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")))
            : null;
    }

    private static bool IsService(PolicyTargetReference target) =>
        target.Kind == "Service" && (string.IsNullOrEmpty(target.Group) || target.Group == "core");
}
