using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Reading;

/// <summary>What could be read of a document's envelope; the names feed issue locations even when reading failed.</summary>
/// <param name="KindName">The <c>kind</c> as written.</param>
/// <param name="Namespace">The namespace the resource would live in.</param>
/// <param name="Name">The <c>metadata.name</c> as written.</param>
/// <param name="Resource">The resource, when the document is a readable mesh resource.</param>
/// <param name="SpecPath">Where the resource's spec is written in the document: <c>spec</c>, or for mesh config
/// <c>spec.meshConfig</c> (IstioOperator) or <c>data.mesh</c> (ConfigMap), so spec issues point at the right line.</param>
internal sealed record Envelope(string? KindName, string? Namespace, string? Name, MeshResource? Resource, string SpecPath = "spec");
