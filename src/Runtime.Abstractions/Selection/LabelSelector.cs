using System.Diagnostics.CodeAnalysis;

namespace Runtime.Abstractions.Selection;

/// <summary>
/// A Kubernetes label selector: comma-separated requirements that must all hold, for example
/// <c>app=reviews,version!=v1,tier in (web,api),!canary</c>.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    /// <summary>The selector with no requirements; it matches every object.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Whether this selector has no requirements and so matches everything.</summary>
    public bool IsEverything => Requirements.Count == 0;

    /// <summary>
    /// Parses Kubernetes selector syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
    /// <c>a notin (x,y)</c>, <c>a</c>, <c>!a</c>, joined by commas. Whitespace between tokens is ignored;
    /// empty or blank text is <see cref="Everything"/>.
    /// </summary>
    /// <param name="text">The selector text.</param>
    /// <param name="selector">The parsed selector, or <see langword="null"/> on failure.</param>
    /// <param name="error">On failure, a message naming the 1-based position and what was expected.</param>
    /// <returns>Whether the text is a valid selector.</returns>
    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out LabelSelector? selector,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new LabelSelectorParser(text);
        if (parser.TryParse(out var requirements, out error))
        {
            selector = requirements.Count == 0 ? Everything : new LabelSelector(requirements);
            return true;
        }

        selector = null;
        return false;
    }

    /// <summary>Parses selector syntax; see <see cref="TryParse"/>.</summary>
    /// <param name="text">The selector text.</param>
    /// <exception cref="FormatException">The text is not a valid selector; the message says where and why.</exception>
    public static LabelSelector Parse(string text) =>
        TryParse(text, out var selector, out var error) ? selector : throw new FormatException(error);

    /// <summary>Whether every requirement holds for <paramref name="labels"/>.</summary>
    /// <param name="labels">The labels of the object tested.</param>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats in selector syntax; <see cref="Everything"/> formats as an empty string.</summary>
    public override string ToString() => string.Join(',', Requirements);
}
