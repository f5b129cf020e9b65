using System.Globalization;
using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// The access-log filter expressions the mesh understands: exactly one comparison of the response code with a
/// number, <c>response.code OP N</c> where OP is one of <c>==</c>, <c>!=</c>, <c>&gt;</c>, <c>&gt;=</c>,
/// <c>&lt;</c>, <c>&lt;=</c> (spaces optional). Istio accepts any CEL; anything else is refused at validation,
/// so a filter never silently logs everything or nothing.
/// </summary>
public sealed partial record AccessLogCondition(string Operator, int Code)
{
    /// <summary>The expression shapes understood, for error messages and docs.</summary>
    public const string Supported = "response.code OP N, with OP one of ==, !=, >, >=, <, <=";

    /// <summary>Parses <paramref name="expression"/>; null when it is not a supported expression.</summary>
    public static AccessLogCondition? Parse(string? expression)
    {
        var match = expression is null ? null : Shape().Match(expression);
        return match is { Success: true } && int.TryParse(match.Groups["code"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new AccessLogCondition(match.Groups["op"].Value, code)
            : null;
    }

    /// <summary>Whether a request answered with <paramref name="responseCode"/> is logged.</summary>
    public bool Matches(int responseCode) => Operator switch
    {
        "==" => responseCode == Code,
        "!=" => responseCode != Code,
        ">" => responseCode > Code,
        ">=" => responseCode >= Code,
        "<" => responseCode < Code,
        _ => responseCode <= Code,
    };

    [GeneratedRegex(@"^\s*response\.code\s*(?<op>==|!=|>=|<=|>|<)\s*(?<code>[0-9]{1,3})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
