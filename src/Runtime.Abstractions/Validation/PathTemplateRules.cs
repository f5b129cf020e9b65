using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation;

/// <summary>
/// AuthorizationPolicy paths as Istio reads them: exact, prefix (<c>/api/*</c>), suffix (<c>*.png</c>), <c>*</c>, or a path
/// template where <c>{*}</c> matches one segment and <c>{**}</c> one or more, <c>{**}</c> only as the last segment.
/// </summary>
internal static partial class PathTemplateRules
{
    private const string OneSegment = "{*}";
    private const string ManySegments = "{**}";

    public static void Validate(string path, string value, IssueSink issues)
    {
        var isTemplate = value.Contains(OneSegment, StringComparison.Ordinal) || value.Contains(ManySegments, StringComparison.Ordinal);
        var seenMany = false;
        foreach (var segment in value.Trim('/').Split('/'))
        {
            if (segment is OneSegment or ManySegments)
            {
                if (seenMany)
                {
                    issues.Error(path, $"path '{value}' has a path template after {{**}}; {{**}} must be the last segment", "end the path at {**} or use {*} for single segments before it");
                    return;
                }

                seenMany = segment == ManySegments;
                continue;
            }

            if (segment.AsSpan().ContainsAny('{', '}'))
            {
                issues.Error(path, $"path '{value}' has '{segment}'; only whole segments {{*}} and {{**}} may use braces", "use {*} for one segment or {**} for the rest of the path");
                return;
            }

            if (isTemplate && !Literal().IsMatch(segment))
            {
                issues.Error(path, $"path template '{value}' has segment '{segment}' that is not a plain URL path literal", "use {*} instead of '*' inside a path template, and percent-encode other characters");
                return;
            }
        }

        if (!isTemplate && value.Length > 2 && value[1..^1].Contains('*', StringComparison.Ordinal))
        {
            // Istio accepts this, but as an exact path: only a request for the literal '*' matches.
            issues.Warning(path, $"path '{value}' has a '*' in the middle, which Istio matches only as the literal character '*', not as a wildcard", "use a path template such as /a/{*}/b, or a prefix such as /a/*");
        }
    }

    // RFC 3986 pchar, as Envoy's path templates require for literal segments.
    [GeneratedRegex("^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$")]
    private static partial Regex Literal();
}
