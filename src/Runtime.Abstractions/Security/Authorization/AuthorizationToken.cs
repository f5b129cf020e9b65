using System.Text.Json;

namespace Runtime.Abstractions.Security.Authorization;

/// <summary>A request's validated JWT, as policies read it.</summary>
/// <param name="Principal">The request principal, <c>iss/sub</c>.</param>
/// <param name="Audiences">The token's <c>aud</c> values.</param>
/// <param name="Presenter">The token's <c>azp</c>, or null.</param>
/// <param name="Payload">The token's payload (a JSON object) for <c>request.auth.claims[...]</c>; any other kind (the
/// default) has no claims.</param>
public sealed record AuthorizationToken(string Principal, IReadOnlyList<string> Audiences, string? Presenter, JsonElement Payload);
