using System.Reflection;

namespace Runtime.Abstractions.Binding;

/// <summary>One bindable field: its property, the canonical YAML name and, when deprecated, its replacement.</summary>
internal sealed record FieldShape(PropertyInfo Property, string Name, string? DeprecatedFor);
