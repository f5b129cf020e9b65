using System.Collections.Concurrent;
using System.Reflection;

namespace Runtime.Abstractions.Binding;

/// <summary>The YAML field names of one model record, computed once per type.</summary>
internal sealed class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> Cache = new();
    private readonly Dictionary<string, FieldShape> _fields = new(StringComparer.Ordinal);

    private TypeShape(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null)
            {
                continue;
            }

            var names = property.GetCustomAttribute<MeshFieldAttribute>()?.Names
                ?? [char.ToLowerInvariant(property.Name[0]) + property.Name[1..]];
            var deprecated = property.GetCustomAttribute<MeshDeprecatedAttribute>()?.Replacement;
            foreach (var name in names)
            {
                _fields[name] = new FieldShape(property, names[0], deprecated);
            }

            CanonicalNames.Add(names[0]);
        }
    }

    /// <summary>Field names as Istio documents them, for suggestions and messages.</summary>
    public List<string> CanonicalNames { get; } = [];

    public static TypeShape For(Type type) => Cache.GetOrAdd(type, t => new TypeShape(t));

    public bool TryGetField(string name, out FieldShape field) => _fields.TryGetValue(name, out field!);
}
