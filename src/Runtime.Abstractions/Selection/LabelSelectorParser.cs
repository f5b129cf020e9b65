using System.Diagnostics.CodeAnalysis;

namespace Runtime.Abstractions.Selection;

/// <summary>
/// Recursive-descent parser for label selector text. Positions in messages are 1-based character
/// positions so users can count along the string they typed.
/// </summary>
internal sealed class LabelSelectorParser
{
    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = 253;

    private readonly string _text;
    private int _position;

    public LabelSelectorParser(string text) => _text = text;

    public bool TryParse(out List<LabelRequirement> requirements, [NotNullWhen(false)] out string? error)
    {
        requirements = [];
        error = null;
        SkipWhitespace();
        if (AtEnd)
        {
            return true;
        }

        while (true)
        {
            if (!TryParseRequirement(out var requirement, out error))
            {
                return false;
            }

            requirements.Add(requirement);
            SkipWhitespace();
            if (AtEnd)
            {
                return true;
            }

            if (_text[_position] != ',')
            {
                error = Expected("',' between requirements or the end of the selector");
                return false;
            }

            _position++;
            SkipWhitespace();
            if (AtEnd)
            {
                error = Expected("a requirement after ','");
                return false;
            }
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private bool TryParseRequirement(out LabelRequirement requirement, [NotNullWhen(false)] out string? error)
    {
        requirement = null!;
        if (_text[_position] == '!')
        {
            _position++;
            SkipWhitespace();
            if (!TryReadKey(out var negatedKey, out error))
            {
                return false;
            }

            requirement = new LabelRequirement(negatedKey, LabelSelectorOperator.DoesNotExist, []);
            return true;
        }

        if (!TryReadKey(out var key, out error))
        {
            return false;
        }

        SkipWhitespace();
        if (AtEnd || _text[_position] == ',')
        {
            requirement = new LabelRequirement(key, LabelSelectorOperator.Exists, []);
            return true;
        }

        if (_text[_position] == '=' || _text[_position] == '!')
        {
            LabelSelectorOperator op;
            if (Peek("==")) { op = LabelSelectorOperator.Equals; _position += 2; }
            else if (Peek("!=")) { op = LabelSelectorOperator.NotEquals; _position += 2; }
            else if (Peek("=")) { op = LabelSelectorOperator.Equals; _position += 1; }
            else
            {
                error = Expected($"'=', '==', '!=', 'in' or 'notin' after key '{key}'");
                return false;
            }

            SkipWhitespace();
            if (!TryReadValue(allowEmpty: true, out var value, out error))
            {
                return false;
            }

            requirement = new LabelRequirement(key, op, [value]);
            return true;
        }

        var wordStart = _position;
        var word = ReadWord();
        LabelSelectorOperator setOp;
        if (word == "in")
        {
            setOp = LabelSelectorOperator.In;
        }
        else if (word == "notin")
        {
            setOp = LabelSelectorOperator.NotIn;
        }
        else
        {
            _position = wordStart;
            error = Expected($"'=', '==', '!=', 'in' or 'notin' after key '{key}'");
            return false;
        }

        SkipWhitespace();
        if (AtEnd || _text[_position] != '(')
        {
            error = Expected($"'(' to open the value list after '{word}'");
            return false;
        }

        var open = _position;
        _position++;
        var values = new List<string>();
        while (true)
        {
            SkipWhitespace();
            if (!TryReadValue(allowEmpty: false, out var value, out error))
            {
                return false;
            }

            values.Add(value);
            SkipWhitespace();
            if (AtEnd)
            {
                error = Expected($"')' to close the value list opened at position {open + 1}");
                return false;
            }

            if (_text[_position] == ')')
            {
                _position++;
                break;
            }

            if (_text[_position] != ',')
            {
                error = Expected("',' or ')' in the value list");
                return false;
            }

            _position++;
        }

        requirement = new LabelRequirement(key, setOp, values);
        return true;
    }

    private bool TryReadKey(out string key, [NotNullWhen(false)] out string? error)
    {
        var start = _position;
        key = ReadWord();
        if (key.Length == 0)
        {
            error = Expected("a label key");
            return false;
        }

        error = ValidateKey(key) is { } problem ? At(start, $"label key '{key}' is invalid: {problem}") : null;
        return error is null;
    }

    private bool TryReadValue(bool allowEmpty, out string value, [NotNullWhen(false)] out string? error)
    {
        var start = _position;
        value = ReadWord();
        if (value.Length == 0 && !allowEmpty)
        {
            error = Expected("a label value");
            return false;
        }

        error = ValidateName(value, "value", allowEmpty) is { } problem ? At(start, $"label value '{value}' is invalid: {problem}") : null;
        return error is null;
    }

    // A word runs until whitespace or a character with meaning in selector syntax.
    private string ReadWord()
    {
        var start = _position;
        while (!AtEnd && !char.IsWhiteSpace(_text[_position]) && _text[_position] is not ('=' or '!' or '(' or ')' or ','))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private static string? ValidateKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return ValidateName(key, "name", allowEmpty: false);
        }

        var prefix = key[..slash];
        if (prefix.Length == 0 || prefix.Length > MaxPrefixLength)
        {
            return $"the prefix before '/' must be a DNS subdomain of 1 to {MaxPrefixLength} characters";
        }

        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                return $"the prefix '{prefix}' may hold only lowercase letters, digits, '-' and '.'";
            }
        }

        return ValidateName(key[(slash + 1)..], "name", allowEmpty: false);
    }

    private static string? ValidateName(string name, string what, bool allowEmpty)
    {
        if (name.Length == 0)
        {
            return allowEmpty ? null : $"the {what} is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the {what} is longer than {MaxNameLength} characters";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return $"the {what} must start and end with a letter or digit";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"the {what} may hold only letters, digits, '-', '_' and '.'";
            }
        }

        return null;
    }

    private bool Peek(string token) => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private string Expected(string what)
    {
        var found = AtEnd ? "end of input" : $"'{_text[_position]}'";
        return At(_position, $"expected {what}, found {found}");
    }

    private string At(int position, string message) => $"label selector \"{_text}\" at position {position + 1}: {message}";
}
