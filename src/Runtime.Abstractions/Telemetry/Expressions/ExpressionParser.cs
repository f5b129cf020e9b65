using System.Globalization;
using System.Text;

namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>
/// Recursive-descent parser of the filter subset; every node is type-checked as it is built, so a compiled filter
/// cannot fail at request time. Precedence, lowest first: <c>||</c>, <c>&amp;&amp;</c>, <c>!</c>, comparison / <c>in</c>.
/// </summary>
internal sealed class ExpressionParser(string text)
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", ",", "."];
    private int _position;

    /// <summary>Parses the whole text as one boolean expression.</summary>
    public ExpressionNode ParseFilter()
    {
        SkipSpace();
        if (_position == text.Length)
        {
            throw Error(_position + 1, "the expression is empty");
        }

        var start = _position;
        var root = ParseOr();
        SkipSpace();
        if (_position < text.Length)
        {
            throw Unsupported(_position, NextToken());
        }

        return root.Type == ExpressionType.Bool ? root : throw Error(start + 1, $"the expression is {Name(root.Type)}, not a condition");
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||", out var at))
        {
            left = new ExpressionNode.Logical(Boolean(left, at, "||"), Boolean(ParseAnd(), at, "||"), and: false);
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("&&", out var at))
        {
            left = new ExpressionNode.Logical(Boolean(left, at, "&&"), Boolean(ParseUnary(), at, "&&"), and: true);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (Accept("!", out var at))
        {
            return new ExpressionNode.Not(Boolean(ParseUnary(), at, "!"));
        }

        var left = ParsePrimary();
        SkipSpace();
        var opAt = _position + 1;
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (Accept(op, out _))
            {
                var right = ParsePrimary();
                if (left.Type != right.Type)
                {
                    throw Error(opAt, $"'{op}' compares {Name(left.Type)} with {Name(right.Type)}");
                }

                if (left.Type == ExpressionType.Bool && op is not ("==" or "!="))
                {
                    throw Error(opAt, $"'{op}' does not apply to bools; use == or !=");
                }

                return new ExpressionNode.Compare(left, op, right);
            }
        }

        return AcceptWord("in", out _) ? ParseList(left, opAt) : left;
    }

    private ExpressionNode.In ParseList(ExpressionNode value, int at)
    {
        Expect("[");
        var items = new List<ExpressionNode>();
        do
        {
            SkipSpace();
            var itemAt = _position + 1;
            var item = ParsePrimary();
            if (item is not (ExpressionNode.IntLiteral or ExpressionNode.StringLiteral or ExpressionNode.BoolLiteral))
            {
                throw Error(itemAt, "a list holds literals only");
            }

            if (item.Type != value.Type)
            {
                throw Error(itemAt, $"'in' looks for {Name(value.Type)} in a list holding {Name(item.Type)}");
            }

            items.Add(item);
        }
        while (Accept(",", out _));
        Expect("]");
        return items.Count > 0 ? new ExpressionNode.In(value, [.. items]) : throw Error(at, "the list is empty");
    }

    private ExpressionNode ParsePrimary()
    {
        SkipSpace();
        if (_position == text.Length)
        {
            throw Error(_position + 1, "the expression ends where a value was expected");
        }

        var at = _position + 1;
        var c = text[_position];
        if (Accept("(", out _))
        {
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        if (char.IsAsciiDigit(c) || (c == '-' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
        {
            var start = _position++;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }

            return int.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? new ExpressionNode.IntLiteral(number)
                : throw Error(at, $"the number {text[start.._position]} is out of range");
        }

        if (c is '\'' or '"')
        {
            return new ExpressionNode.StringLiteral(ReadString());
        }

        if (!IsWordStart(c))
        {
            throw Unsupported(_position, NextToken());
        }

        var path = ReadWord();
        switch (path)
        {
            case "true" or "false":
                return new ExpressionNode.BoolLiteral(path == "true");
            case "has":
                Expect("(");
                SkipSpace();
                var headerAt = _position + 1;
                var inside = ReadWord();
                if (ParseAttribute(inside, headerAt) is not ExpressionNode.Header header)
                {
                    throw Error(headerAt, "has() takes request.headers['name'] only");
                }

                Expect(")");
                return new ExpressionNode.HasHeader(header.Name);
            default:
                return ParseAttribute(path, at);
        }
    }

    private ExpressionNode ParseAttribute(string path, int at)
    {
        while (Accept(".", out _))
        {
            SkipSpace();
            path += "." + ReadWord();
        }

        return path switch
        {
            "response.code" => new ExpressionNode.ResponseCode(),
            "response.flags" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.ResponseFlags),
            "request.method" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.Method),
            "request.path" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.Path),
            "request.host" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.Host),
            "request.protocol" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.Protocol),
            "source.principal" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.SourcePrincipal),
            "destination.principal" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.DestinationPrincipal),
            "upstream.cluster" => new ExpressionNode.StringAttribute(AccessLogStringAttribute.UpstreamCluster),
            "connection.mtls" => new ExpressionNode.Mtls(),
            "request.headers" => ParseHeader(at),
            _ => throw Error(at, $"unsupported '{path}'; supported: {AccessLogExpression.Supported}"),
        };
    }

    private ExpressionNode.Header ParseHeader(int at)
    {
        Expect("[");
        SkipSpace();
        if (_position == text.Length || text[_position] is not ('\'' or '"'))
        {
            throw Error(at, "request.headers is indexed by a quoted name, e.g. request.headers['x-user']");
        }

        var name = ReadString();
        Expect("]");
        // Envoy lower-cases header names; a filter written with capitals would never match.
        return name.Length > 0 && !name.Any(char.IsAsciiLetterUpper)
            ? new ExpressionNode.Header(name)
            : throw Error(at, $"header name '{name}' must be non-empty and lower-case");
    }

    private string ReadString()
    {
        var quote = text[_position];
        var at = _position + 1;
        var value = new StringBuilder();
        _position++;
        while (_position < text.Length && text[_position] != quote)
        {
            if (text[_position] == '\\' && _position + 1 < text.Length && text[_position + 1] is '\\' or '\'' or '"')
            {
                _position++;
            }

            value.Append(text[_position++]);
        }

        if (_position == text.Length)
        {
            throw Error(at, "the string is not closed");
        }

        _position++;
        return value.ToString();
    }

    private string ReadWord()
    {
        if (_position == text.Length || !IsWordStart(text[_position]))
        {
            throw _position == text.Length ? Error(_position + 1, "the expression ends where a name was expected") : Unsupported(_position, NextToken());
        }

        var start = _position;
        while (_position < text.Length && (IsWordStart(text[_position]) || char.IsAsciiDigit(text[_position])))
        {
            _position++;
        }

        return text[start.._position];
    }

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private bool Accept(string token, out int at)
    {
        SkipSpace();
        at = _position + 1;
        // "<" must not take the first half of "<=", "!" not that of "!=", and "|"/"&" alone are not operators.
        if (!text.AsSpan(_position).StartsWith(token, StringComparison.Ordinal)
            || (token is "<" or ">" or "!" && _position + 1 < text.Length && text[_position + 1] == '='))
        {
            return false;
        }

        _position += token.Length;
        return true;
    }

    private bool AcceptWord(string word, out int at)
    {
        SkipSpace();
        at = _position + 1;
        var end = _position + word.Length;
        if (!text.AsSpan(_position).StartsWith(word, StringComparison.Ordinal) || (end < text.Length && (IsWordStart(text[end]) || char.IsAsciiDigit(text[end]))))
        {
            return false;
        }

        _position = end;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token, out var at))
        {
            throw _position == text.Length ? Error(at, $"the expression ends where '{token}' was expected") : Error(at, $"expected '{token}' but found '{NextToken()}'");
        }
    }

    private void SkipSpace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    // The token starting at the cursor, for error messages: an operator, a word or number, else one character.
    private string NextToken()
    {
        foreach (var op in Operators)
        {
            if (text.AsSpan(_position).StartsWith(op, StringComparison.Ordinal))
            {
                return op;
            }
        }

        var end = _position + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_') && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
        {
            end++;
        }

        return text[_position..end];
    }

    private static ExpressionNode Boolean(ExpressionNode node, int at, string op) =>
        node.Type == ExpressionType.Bool ? node : throw Error(at, $"'{op}' needs conditions on both sides, not {Name(node.Type)}");

    private static string Name(ExpressionType type) => type switch
    {
        ExpressionType.Int => "an int",
        ExpressionType.String => "a string",
        _ => "a bool",
    };

    private static AccessLogExpressionException Unsupported(int index, string token) =>
        Error(index + 1, $"unsupported '{token}'; supported: {AccessLogExpression.Supported}");

    private static AccessLogExpressionException Error(int position, string message) => new(position, message);
}
