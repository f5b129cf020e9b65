using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's PeerAuthentication rules: port-level modes need a selector and valid ports.</summary>
internal sealed class PeerAuthenticationValidator : SpecValidator<PeerAuthenticationSpec>
{
    protected override void Validate(PeerAuthenticationSpec spec, IssueSink issues)
    {
        if (spec.PortLevelMtls is not { Count: > 0 })
        {
            return;
        }

        if (spec.Selector?.MatchLabels is not { Count: > 0 })
        {
            issues.Error("spec.portLevelMtls", "portLevelMtls needs a workload selector", "add selector: { matchLabels: { app: my-app } }");
        }

        foreach (var port in spec.PortLevelMtls.Keys)
        {
            // A port entry without mode is UNSET (inherits), which Istio accepts.
            NetworkRules.ValidatePort($"spec.portLevelMtls.{port}", port, issues);
        }
    }
}
