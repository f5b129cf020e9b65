using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>CORS policy: origin matches, header names and max age.</summary>
internal static class CorsRules
{
    public static void Validate(string path, CorsPolicy? cors, IssueSink issues)
    {
        if (cors is null)
        {
            return;
        }

        for (var i = 0; i < (cors.AllowOrigins?.Count ?? 0); i++)
        {
            StringMatchRules.Validate($"{path}.allowOrigins[{i}]", cors.AllowOrigins![i], issues);
        }

        HeaderRules.ValidateNames($"{path}.allowHeaders", cors.AllowHeaders?.Where(h => h != "*"), issues);
        HeaderRules.ValidateNames($"{path}.exposeHeaders", cors.ExposeHeaders?.Where(h => h != "*"), issues);
        for (var i = 0; i < (cors.AllowMethods?.Count ?? 0); i++)
        {
            if (string.IsNullOrWhiteSpace(cors.AllowMethods![i]))
            {
                issues.Error($"{path}.allowMethods[{i}]", "method must not be empty", "use a method such as GET");
            }
        }

        if (cors.MaxAge is { } maxAge && maxAge.Value < TimeSpan.Zero)
        {
            issues.Error($"{path}.maxAge", $"maxAge {maxAge.Text} is negative", "use a positive duration such as 24h");
        }
    }
}
