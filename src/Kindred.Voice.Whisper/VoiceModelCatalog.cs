using Kindred.Models.Catalog;

namespace Kindred.Voice;

/// <summary>Speech models Kindred can pull by name, downloaded, resumed and verified exactly as chat models are.</summary>
public static class VoiceModelCatalog
{
    /// <summary>
    /// Whisper base.en in ggml format (148 MB, MIT, from the whisper.cpp project): English only, the recommended
    /// recogniser for quality on a CPU.
    /// </summary>
    // Checksum and size: the LFS oid and size of ggml-base.en.bin in ggerganov/whisper.cpp on Hugging Face at the pinned
    // commit. The same sha256 and size are pinned by several unrelated public projects (installers and model catalogs,
    // one of them at this same commit); not recomputed here, as there was no network to download the file.
    public static ModelCatalogEntry WhisperBaseEn { get; } = new(
        Name: "whisper-base.en",
        FileName: "ggml-base.en.bin",
        Url: new Uri("https://huggingface.co/ggerganov/whisper.cpp/resolve/5359861c739e955e79d9a303bcbc70fb988958b1/ggml-base.en.bin"),
        Sha256: "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
        SizeBytes: 147_964_211,
        Licence: "MIT",
        Description: "Whisper base.en, ggml (148 MB). Speech recognition: the recommended quality option for kindred listen --engine whisper.");

    /// <summary>Every speech model in the catalog.</summary>
    public static IReadOnlyList<ModelCatalogEntry> All { get; } = [WhisperBaseEn];

    /// <summary>The entry called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ModelCatalogEntry? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
