using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's DestinationRule rules: a host, uniquely named subsets and valid traffic policies.</summary>
internal sealed class DestinationRuleValidator : SpecValidator<DestinationRuleSpec>
{
    protected override void Validate(DestinationRuleSpec spec, IssueSink issues)
    {
        HostRules.Validate("spec.host", spec.Host, issues);
        TrafficPolicyRules.Validate("spec.trafficPolicy", spec.TrafficPolicy, issues);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.Subsets?.Count ?? 0); i++)
        {
            var subset = spec.Subsets![i];
            var path = $"spec.subsets[{i}]";
            if (string.IsNullOrEmpty(subset.Name))
            {
                issues.Error($"{path}.name", "subset name is required", "add name: v1");
            }
            else if (!seen.Add(subset.Name))
            {
                issues.Error($"{path}.name", $"duplicate subset name '{subset.Name}'", "give each subset a unique name");
            }
            else if (!NameRules.IsLabel(subset.Name))
            {
                issues.Error($"{path}.name", $"subset name '{subset.Name}' is not a valid DNS-1123 label", "use lower-case letters, digits and '-'");
            }

            TrafficPolicyRules.Validate($"{path}.trafficPolicy", subset.TrafficPolicy, issues);
        }
    }
}
