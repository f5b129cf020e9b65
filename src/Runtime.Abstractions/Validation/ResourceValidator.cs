using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Validates a whole resource: kind, metadata names, spec binding and the kind's semantic rules.</summary>
internal static class ResourceValidator
{
    public static IReadOnlyList<ValidationIssue> Validate(MeshResource resource)
    {
        var issues = new IssueSink();
        if (!MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind))
        {
            issues.Error("apiVersion", $"{resource.ApiVersion} {resource.Kind} is not a mesh configuration kind");
        }

        NameRules.ValidateMetadata(resource.Metadata, issues);
        if (resource.Spec.ValueKind != JsonValueKind.Object)
        {
            issues.Error("spec", $"spec must be a mapping but found {resource.Spec.ValueKind}");
        }
        else if (kind is not null)
        {
            var bound = kind.Bind(resource.Spec);
            issues.AddRange(bound.Issues);
            if (bound.Value is not null)
            {
                kind.Validator.Validate(bound.Value, issues);
            }
        }

        return [.. issues.Issues.Select(i => i with { Kind = resource.Kind, Namespace = resource.Metadata.Namespace, Name = resource.Metadata.Name })];
    }
}
