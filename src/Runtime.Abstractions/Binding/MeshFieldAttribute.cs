namespace Runtime.Abstractions.Binding;

/// <summary>
/// Names a property or enum member the way Istio's YAML spells it when the camelCase (or UPPER_SNAKE)
/// form of the C# name differs. The first name is canonical; the rest are accepted aliases.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class MeshFieldAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
