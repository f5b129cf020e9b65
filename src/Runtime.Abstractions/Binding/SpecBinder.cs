using System.Collections;
using System.Globalization;
using System.Text.Json;
using Runtime.Abstractions.Common;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Binding;

/// <summary>
/// Binds a JSON spec onto the sealed-record model by reflection. Every problem becomes an issue with a path;
/// binding never throws and keeps going after errors so that one pass reports everything.
/// </summary>
internal sealed class SpecBinder
{
    private const int MaxDepth = 64;
    private readonly IssueSink _issues;

    private SpecBinder(IssueSink issues) => _issues = issues;

    public static object? Bind(Type type, JsonElement element, string path, IssueSink issues) =>
        new SpecBinder(issues).BindValue(type, element, path, 0);

    private object? BindValue(Type type, JsonElement element, string path, int depth)
    {
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (depth > MaxDepth)
        {
            _issues.Error(path, $"nesting deeper than {MaxDepth} levels is not supported");
            return null;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => BindString(element, path),
            _ when type == typeof(bool) => BindBool(element, path),
            _ when type == typeof(int) => BindInteger(element, path, int.MinValue, int.MaxValue, v => (int)v),
            _ when type == typeof(long) => BindInteger(element, path, long.MinValue, long.MaxValue, v => v),
            _ when type == typeof(double) => BindDouble(element, path),
            _ when type == typeof(MeshDuration) => BindDuration(element, path),
            _ when type == typeof(JsonElement) => element.Clone(),
            _ when type.IsEnum => BindEnum(type, element, path),
            _ when IsGeneric(type, typeof(IReadOnlyList<>)) => BindList(type.GetGenericArguments()[0], element, path, depth),
            _ when IsGeneric(type, typeof(IReadOnlyDictionary<,>)) => BindMap(type.GetGenericArguments(), element, path, depth),
            _ => BindRecord(type, element, path, depth),
        };
    }

    private string? BindString(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                var raw = element.GetRawText();
                _issues.Error(path, $"expected a string but found {Describe(element)}", $"quote the value: \"{raw}\"");
                return null;
            default:
                _issues.Error(path, $"expected a string but found {Describe(element)}");
                return null;
        }
    }

    private bool? BindBool(JsonElement element, string path)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        var fix = element.ValueKind == JsonValueKind.String && element.GetString() is "true" or "false"
            ? $"remove the quotes: {element.GetString()}"
            : "use true or false";
        _issues.Error(path, $"expected true or false but found {Describe(element)}", fix);
        return null;
    }

    private object? BindInteger(JsonElement element, string path, long min, long max, Func<long, object> box)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var value) && value >= min && value <= max)
            {
                return box(value);
            }

            var message = element.TryGetDouble(out var d) && Math.Abs(d) < max && d != Math.Floor(d)
                ? $"expected a whole number but found {element.GetRawText()}"
                : $"{element.GetRawText()} is out of range ({min} to {max})";
            _issues.Error(path, message);
            return null;
        }

        var fix = element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"remove the quotes: {element.GetString()}"
            : null;
        _issues.Error(path, $"expected a whole number but found {Describe(element)}", fix);
        return null;
    }

    private double? BindDouble(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        _issues.Error(path, $"expected a number but found {Describe(element)}");
        return null;
    }

    private MeshDuration? BindDuration(JsonElement element, string path)
    {
        string? reason = null;
        if (element.ValueKind == JsonValueKind.String && MeshDuration.TryParse(element.GetString(), out var duration, out reason))
        {
            return duration;
        }

        if (reason == "duration too large")
        {
            _issues.Error(path, $"invalid duration {Describe(element)}: duration too large", "use at most about 29 years, for example \"8760h\"");
            return null;
        }

        var fix = element.ValueKind == JsonValueKind.Number ? $"add a unit: \"{element.GetRawText()}s\"" : "write it like \"30s\", \"100ms\" or \"1h30m\"";
        _issues.Error(path, $"invalid duration {Describe(element)}", fix);
        return null;
    }

    private object? BindEnum(Type type, JsonElement element, string path)
    {
        var names = EnumNames.Names(type);
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (EnumNames.TryParse(type, text, out var value))
            {
                return value;
            }

            var suggestion = Suggestions.Closest(text, names);
            var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
            _issues.Error(path, $"unknown value '{text}'{hint}", $"use one of {string.Join(", ", names)}");
            return null;
        }

        _issues.Error(path, $"expected one of {string.Join(", ", names)} but found {Describe(element)}");
        return null;
    }

    private object? BindList(Type itemType, JsonElement element, string path, int depth)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        if (element.ValueKind != JsonValueKind.Array)
        {
            if (IsScalar(element) && IsScalarType(itemType))
            {
                // Istio's CRD schema rejects this, but hand-written manifests do it often enough to accept it loudly.
                _issues.Warning(path, $"expected a list but found the single value {Describe(element)}; read as a one-item list", $"write a list: [{element.GetRawText()}]");
                AddItem(list, BindValue(itemType, element, path, depth + 1));
                return list;
            }

            _issues.Error(path, $"expected a list but found {Describe(element)}");
            return null;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = FieldPath.Index(path, index++);
            if (item.ValueKind == JsonValueKind.Null)
            {
                _issues.Error(itemPath, "list item is empty (null)", "remove the empty item");
                continue;
            }

            AddItem(list, BindValue(itemType, item, itemPath, depth + 1));
        }

        return list;
    }

    private object? BindMap(Type[] types, JsonElement element, string path, int depth)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _issues.Error(path, $"expected a mapping but found {Describe(element)}");
            return null;
        }

        var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(types))!;
        foreach (var property in element.EnumerateObject())
        {
            var entryPath = FieldPath.Field(path, property.Name);
            object key = property.Name;
            if (types[0] == typeof(int))
            {
                if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    _issues.Error(entryPath, $"key '{property.Name}' is not a port number", "use a number from 1 to 65535 as the key");
                    continue;
                }

                key = number;
            }

            var value = BindValue(types[1], property.Value, entryPath, depth + 1);
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }

    private object? BindRecord(Type type, JsonElement element, string path, int depth)
    {
        var shape = TypeShape.For(type);
        if (element.ValueKind != JsonValueKind.Object)
        {
            _issues.Error(path, $"expected a mapping with fields such as {string.Join(", ", shape.CanonicalNames.Take(4))} but found {Describe(element)}");
            return null;
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var property in element.EnumerateObject())
        {
            var fieldPath = FieldPath.Field(path, property.Name);
            if (!shape.TryGetField(property.Name, out var field))
            {
                ReportUnknownField(property.Name, fieldPath, shape);
                continue;
            }

            if (field.DeprecatedFor is string replacement)
            {
                _issues.Warning(fieldPath, $"'{property.Name}' is deprecated; use '{replacement}'", $"rename '{property.Name}' to '{replacement}'");
            }

            var value = BindValue(field.Property.PropertyType, property.Value, fieldPath, depth + 1);
            if (value is not null)
            {
                field.Property.SetValue(instance, value);
            }
        }

        return instance;
    }

    private void ReportUnknownField(string name, string path, TypeShape shape)
    {
        var suggestion = Suggestions.Closest(name, shape.CanonicalNames);
        if (suggestion is not null)
        {
            _issues.Error(path, $"unknown field '{name}'; did you mean '{suggestion}'?", $"rename '{name}' to '{suggestion}'");
            return;
        }

        _issues.Error(path, $"unknown field '{name}'", $"remove it; known fields here: {string.Join(", ", shape.CanonicalNames)}");
    }

    private static void AddItem(IList list, object? item)
    {
        if (item is not null)
        {
            list.Add(item);
        }
    }

    private static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    private static bool IsScalar(JsonElement element) =>
        element.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static bool IsScalarType(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(MeshDuration);

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"\"{Truncate(element.GetString()!)}\"",
        _ => Truncate(element.GetRawText()),
    };

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
