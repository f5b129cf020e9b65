using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's RequestAuthentication rules: each JWT rule has an issuer and one source of keys.</summary>
internal sealed class RequestAuthenticationValidator : SpecValidator<RequestAuthenticationSpec>
{
    protected override void Validate(RequestAuthenticationSpec spec, IssueSink issues)
    {
        if (spec.Selector is not null && (spec.TargetRef is not null || spec.TargetRefs is { Count: > 0 }))
        {
            issues.Error("spec", "selector and targetRef cannot both be set", "keep only one of them");
        }

        for (var i = 0; i < (spec.JwtRules?.Count ?? 0); i++)
        {
            ValidateRule($"spec.jwtRules[{i}]", spec.JwtRules![i], issues);
        }
    }

    private static void ValidateRule(string path, JwtRule rule, IssueSink issues)
    {
        if (string.IsNullOrEmpty(rule.Issuer))
        {
            issues.Error($"{path}.issuer", "issuer is required", "add issuer: https://accounts.example.com");
        }

        if (rule.Jwks is not null && rule.JwksUri is not null)
        {
            // Istio accepts both and uses the inline jwks.
            issues.Warning(path, "jwks and jwksUri are both set; only one of them takes effect", "keep only one of them");
        }

        if (!string.IsNullOrEmpty(rule.Jwks) && !IsJsonObject(rule.Jwks))
        {
            issues.Error($"{path}.jwks", "jwks is not a JSON Web Key Set (a JSON object)", "paste the JSON document, for example {\"keys\": [...]}");
        }

        if (rule.JwksUri is not null && (!Uri.TryCreate(rule.JwksUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            issues.Error($"{path}.jwksUri", $"jwksUri '{rule.JwksUri}' is not an http or https URL", "use a URL such as https://example.com/.well-known/jwks.json");
        }

        for (var i = 0; i < (rule.Audiences?.Count ?? 0); i++)
        {
            if (rule.Audiences![i].Length == 0)
            {
                issues.Error($"{path}.audiences[{i}]", "audience must not be empty", "remove the empty audience");
            }
        }

        for (var i = 0; i < (rule.FromHeaders?.Count ?? 0); i++)
        {
            // Istio only requires a name here.
            if (string.IsNullOrEmpty(rule.FromHeaders![i].Name))
            {
                issues.Error($"{path}.fromHeaders[{i}].name", "header name must not be empty", "name the header, for example Authorization");
            }
        }

        for (var i = 0; i < (rule.OutputClaimToHeaders?.Count ?? 0); i++)
        {
            var claim = rule.OutputClaimToHeaders![i];
            HeaderRules.ValidateName($"{path}.outputClaimToHeaders[{i}].header", claim.Header, issues);
            if (string.IsNullOrEmpty(claim.Claim))
            {
                issues.Error($"{path}.outputClaimToHeaders[{i}].claim", "claim is required", "name the claim to copy, for example sub");
            }
        }

        if (rule.OutputPayloadToHeader is not null)
        {
            HeaderRules.ValidateName($"{path}.outputPayloadToHeader", rule.OutputPayloadToHeader, issues);
        }

        DurationRules.Validate($"{path}.timeout", rule.Timeout, issues);
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
