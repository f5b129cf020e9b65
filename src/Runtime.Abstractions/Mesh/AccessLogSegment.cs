namespace Runtime.Abstractions.Mesh;

/// <summary>One piece of an <see cref="AccessLogTemplate"/>.</summary>
/// <param name="Field">What it prints.</param>
/// <param name="Text">The text of a <see cref="AccessLogField.Literal"/>; null otherwise.</param>
/// <param name="MaxLength">The <c>:N</c> length limit of a <c>%REQ(...)%</c>, when given.</param>
public sealed record AccessLogSegment(AccessLogField Field, string? Text, int? MaxLength);
