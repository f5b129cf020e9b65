using System.Diagnostics.CodeAnalysis;

namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>
/// A compiled access-log filter: the subset of CEL that Istio users write in
/// <c>Telemetry.spec.accessLogging[].filter.expression</c> (see <see cref="Supported"/>), parsed and type-checked once
/// when config is applied. Evaluating it reads the request's attributes and allocates nothing.
/// </summary>
public sealed class AccessLogExpression
{
    /// <summary>The grammar understood, for error messages and docs.</summary>
    public const string Supported =
        "comparisons (== != < <= > >=) of response.code (int), response.flags, request.method, request.path, request.host, "
        + "request.protocol, request.headers['name'], source.principal, destination.principal, upstream.cluster (strings) "
        + "and connection.mtls (bool) with literals ('text', \"text\", 42, true, false); value in [literal, ...]; "
        + "has(request.headers['name']); &&, ||, ! and parentheses";

    private readonly ExpressionNode _root;

    private AccessLogExpression(string text, ExpressionNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Compiles <paramref name="expression"/>.</summary>
    /// <exception cref="AccessLogExpressionException">Outside the subset or ill-typed; the message names the column.</exception>
    public static AccessLogExpression Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new AccessLogExpression(expression, new ExpressionParser(expression).ParseFilter());
    }

    /// <summary>Compiles <paramref name="expression"/>; false with the reason in <paramref name="error"/> when it is not supported.</summary>
    public static bool TryParse(string expression, [NotNullWhen(true)] out AccessLogExpression? compiled, [NotNullWhen(false)] out string? error)
    {
        try
        {
            compiled = Parse(expression);
            error = null;
            return true;
        }
        catch (AccessLogExpressionException e)
        {
            compiled = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether a request with <paramref name="attributes"/> passes the filter (is logged).</summary>
    public bool Matches<T>(in T attributes) where T : IAccessLogAttributes => _root.Bool(attributes);

    /// <inheritdoc/>
    public override string ToString() => Text;
}
