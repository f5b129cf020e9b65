namespace Runtime.Abstractions.Binding;

/// <summary>
/// Marks a field Istio still accepts but has replaced; binding it gives a warning that names the replacement.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class MeshDeprecatedAttribute(string replacement) : Attribute
{
    public string Replacement { get; } = replacement;
}
