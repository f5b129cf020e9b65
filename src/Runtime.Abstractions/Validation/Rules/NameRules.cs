using System.Text.RegularExpressions;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Kubernetes object-name rules: names are DNS-1123 subdomains, namespaces DNS-1123 labels.</summary>
internal static partial class NameRules
{
    public static void ValidateMetadata(ObjectMeta metadata, IssueSink issues)
    {
        if (metadata.Name.Length == 0)
        {
            issues.Error("metadata.name", "metadata.name is required", "add name: my-resource under metadata");
        }
        else if (metadata.Name.Length > 253 || !Subdomain().IsMatch(metadata.Name))
        {
            issues.Error("metadata.name", $"name '{metadata.Name}' is not a valid DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)", $"use '{Sanitize(metadata.Name, 253)}'");
        }

        if (!IsLabel(metadata.Namespace))
        {
            issues.Error("metadata.namespace", $"namespace '{metadata.Namespace}' is not a valid DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)", $"use '{Sanitize(metadata.Namespace, 63).Replace('.', '-')}'");
        }
    }

    public static bool IsLabel(string value) => value.Length is > 0 and <= 63 && Label().IsMatch(value);

    private static string Sanitize(string value, int max)
    {
        var lower = InvalidChars().Replace(value.ToLowerInvariant(), "-").Trim('-', '.');
        return lower.Length == 0 ? "my-resource" : lower[..Math.Min(lower.Length, max)];
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("[^a-z0-9.-]+")]
    private static partial Regex InvalidChars();
}
