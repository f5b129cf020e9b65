using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Binding;

/// <summary>Maps C# enum members to Istio's UPPER_SNAKE names (<c>LeastConn</c> is <c>LEAST_CONN</c>).</summary>
internal static partial class EnumNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, object>> ByName = new();

    /// <summary>Istio's spelling of every member, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type enumType) => [.. Map(enumType).Keys];

    public static bool TryParse(Type enumType, string text, out object? value) =>
        Map(enumType).TryGetValue(text, out value);

    /// <summary>Istio's spelling of one member.</summary>
    public static string IstioName(Enum value)
    {
        var field = value.GetType().GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static);
        return field?.GetCustomAttribute<MeshFieldAttribute>()?.Names[0] ?? ToUpperSnake(value.ToString());
    }

    private static IReadOnlyDictionary<string, object> Map(Type enumType) => ByName.GetOrAdd(enumType, type =>
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var name = field.GetCustomAttribute<MeshFieldAttribute>()?.Names[0] ?? ToUpperSnake(field.Name);
            map[name] = field.GetValue(null)!;
        }

        return map;
    });

    private static string ToUpperSnake(string pascal) => WordBoundary().Replace(pascal, "_").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordBoundary();
}
