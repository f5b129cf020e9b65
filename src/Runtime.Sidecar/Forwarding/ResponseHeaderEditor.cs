using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Edits the downstream response headers before the response starts.</summary>
internal sealed class ResponseHeaderEditor(IHeaderDictionary headers) : HeaderEditor
{
    public override StringValues Get(string name) => headers.TryGetValue(name, out var values) ? values : StringValues.Empty;

    public override void Set(string name, string value) => headers[name] = value;

    public override void Add(string name, string value) =>
        headers[name] = headers.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);

    public override void Remove(string name) => headers.Remove(name);
}
