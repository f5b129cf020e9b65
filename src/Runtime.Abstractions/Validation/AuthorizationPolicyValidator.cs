using Runtime.Abstractions.Security;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's AuthorizationPolicy rules: action/provider consistency and well-formed rules.</summary>
internal sealed class AuthorizationPolicyValidator : SpecValidator<AuthorizationPolicySpec>
{
    protected override void Validate(AuthorizationPolicySpec spec, IssueSink issues)
    {
        var action = spec.Action ?? AuthorizationAction.Allow;
        if (action == AuthorizationAction.Custom && string.IsNullOrEmpty(spec.Provider?.Name))
        {
            issues.Error("spec.provider", "action CUSTOM needs a provider", "add provider: { name: my-ext-authz }");
        }
        else if (action != AuthorizationAction.Custom && spec.Provider is not null)
        {
            issues.Error("spec.provider", $"provider is only used with action CUSTOM, but the action is {Binding.EnumNames.IstioName(action)}", "set action: CUSTOM or remove provider");
        }

        if (spec.Selector is not null && (spec.TargetRef is not null || spec.TargetRefs is { Count: > 0 }))
        {
            issues.Error("spec", "selector and targetRef cannot both be set", "keep only one of them");
        }

        if (spec.Rules is null && action != AuthorizationAction.Allow)
        {
            // Without rules nothing matches, so a DENY or AUDIT policy is inert; with ALLOW it denies everything, which is a known idiom.
            issues.Warning("spec.rules", $"action {Binding.EnumNames.IstioName(action)} without rules matches no request and has no effect", "add rules: [{}] to match every request");
        }

        for (var i = 0; i < (spec.Rules?.Count ?? 0); i++)
        {
            AuthorizationRuleRules.Validate($"spec.rules[{i}]", spec.Rules![i], issues);
        }
    }
}
