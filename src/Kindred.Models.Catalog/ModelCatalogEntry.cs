namespace Kindred.Models.Catalog;

/// <summary>A model file Kindred knows how to download and verify: a chat model here, a speech model in <c>Kindred.Voice.Whisper</c>.</summary>
/// <param name="Name">Short name a person types, e.g. <c>qwen2.5-1.5b-instruct</c>; matched case-insensitively.</param>
/// <param name="FileName">File name in the models folder; a bare name, never a path.</param>
/// <param name="Url">Direct download URL, pinned to a repository commit so the bytes behind it cannot change.</param>
/// <param name="Sha256">SHA-256 of the file as lowercase hex.</param>
/// <param name="SizeBytes">Exact size of the file in bytes.</param>
/// <param name="Licence">Licence of the model weights.</param>
/// <param name="Description">One line for <c>kindred model list</c>.</param>
public sealed record ModelCatalogEntry(
    string Name,
    string FileName,
    Uri Url,
    string Sha256,
    long SizeBytes,
    string Licence,
    string Description);
