namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>
/// One node of a compiled filter. Types are checked at parse time, so only the evaluation matching
/// <see cref="Type"/> is ever called; the generic attribute parameter keeps struct attributes unboxed.
/// </summary>
internal abstract class ExpressionNode(ExpressionType type)
{
    /// <summary>The type of the value this node yields.</summary>
    public ExpressionType Type { get; } = type;

    /// <summary>The value of an <see cref="ExpressionType.Int"/> node.</summary>
    public virtual int Int<T>(in T attributes) where T : IAccessLogAttributes => throw new InvalidOperationException($"not an int: {Type}");

    /// <summary>The value of a <see cref="ExpressionType.String"/> node.</summary>
    public virtual string String<T>(in T attributes) where T : IAccessLogAttributes => throw new InvalidOperationException($"not a string: {Type}");

    /// <summary>The value of a <see cref="ExpressionType.Bool"/> node.</summary>
    public virtual bool Bool<T>(in T attributes) where T : IAccessLogAttributes => throw new InvalidOperationException($"not a bool: {Type}");

    /// <summary>A literal whole number.</summary>
    public sealed class IntLiteral(int value) : ExpressionNode(ExpressionType.Int)
    {
        /// <inheritdoc/>
        public override int Int<T>(in T attributes) => value;
    }

    /// <summary>A literal string.</summary>
    public sealed class StringLiteral(string value) : ExpressionNode(ExpressionType.String)
    {
        /// <inheritdoc/>
        public override string String<T>(in T attributes) => value;
    }

    /// <summary>A literal <c>true</c> or <c>false</c>.</summary>
    public sealed class BoolLiteral(bool value) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes) => value;
    }

    /// <summary><c>response.code</c>.</summary>
    public sealed class ResponseCode() : ExpressionNode(ExpressionType.Int)
    {
        /// <inheritdoc/>
        public override int Int<T>(in T attributes) => attributes.ResponseCode;
    }

    /// <summary><c>connection.mtls</c>.</summary>
    public sealed class Mtls() : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes) => attributes.Mtls;
    }

    /// <summary>A string attribute of the request.</summary>
    public sealed class StringAttribute(AccessLogStringAttribute which) : ExpressionNode(ExpressionType.String)
    {
        /// <inheritdoc/>
        public override string String<T>(in T attributes) => which switch
        {
            AccessLogStringAttribute.ResponseFlags => attributes.ResponseFlags,
            AccessLogStringAttribute.Method => attributes.Method,
            AccessLogStringAttribute.Path => attributes.Path,
            AccessLogStringAttribute.Host => attributes.Host,
            AccessLogStringAttribute.Protocol => attributes.Protocol,
            AccessLogStringAttribute.SourcePrincipal => attributes.SourcePrincipal,
            AccessLogStringAttribute.DestinationPrincipal => attributes.DestinationPrincipal,
            _ => attributes.UpstreamCluster,
        };
    }

    /// <summary><c>request.headers['name']</c>; an absent header is the empty string.</summary>
    public sealed class Header(string name) : ExpressionNode(ExpressionType.String)
    {
        /// <summary>The lower-case header name.</summary>
        public string Name { get; } = name;

        /// <inheritdoc/>
        public override string String<T>(in T attributes) => attributes.RequestHeader(Name) ?? "";
    }

    /// <summary><c>has(request.headers['name'])</c>.</summary>
    public sealed class HasHeader(string name) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes) => attributes.RequestHeader(name) is not null;
    }

    /// <summary><c>!operand</c>.</summary>
    public sealed class Not(ExpressionNode operand) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes) => !operand.Bool(attributes);
    }

    /// <summary><c>left &amp;&amp; right</c> or <c>left || right</c>, short-circuiting.</summary>
    public sealed class Logical(ExpressionNode left, ExpressionNode right, bool and) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes) => and
            ? left.Bool(attributes) && right.Bool(attributes)
            : left.Bool(attributes) || right.Bool(attributes);
    }

    /// <summary>A comparison of two values of one type; strings compare ordinally.</summary>
    public sealed class Compare(ExpressionNode left, string op, ExpressionNode right) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes)
        {
            var order = left.Type switch
            {
                ExpressionType.Int => left.Int(attributes).CompareTo(right.Int(attributes)),
                ExpressionType.String => string.CompareOrdinal(left.String(attributes), right.String(attributes)),
                _ => left.Bool(attributes).CompareTo(right.Bool(attributes)),
            };
            return op switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }
    }

    /// <summary><c>value in [a, b, ...]</c>, the list all literals of the value's type.</summary>
    public sealed class In(ExpressionNode value, ExpressionNode[] list) : ExpressionNode(ExpressionType.Bool)
    {
        /// <inheritdoc/>
        public override bool Bool<T>(in T attributes)
        {
            foreach (var item in list)
            {
                var equal = value.Type switch
                {
                    ExpressionType.Int => value.Int(attributes) == item.Int(attributes),
                    ExpressionType.String => string.Equals(value.String(attributes), item.String(attributes), StringComparison.Ordinal),
                    _ => value.Bool(attributes) == item.Bool(attributes),
                };
                if (equal)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
