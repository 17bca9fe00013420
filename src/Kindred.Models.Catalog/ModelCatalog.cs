namespace Kindred.Models.Catalog;

/// <summary>The chat models Kindred can pull by name. <see cref="Default"/> is the one it uses when no model is given.</summary>
/// <remarks>
/// Every checksum and size here is the publisher's Hugging Face LFS value for the file at the pinned commit
/// (the <c>oid sha256:</c> of its LFS pointer), cross-checked against several unrelated public projects that pin
/// the same file at the same commit. They were not recomputed here: there was no network to download them.
/// </remarks>
public static class ModelCatalog
{
    /// <summary>
    /// Qwen2.5 1.5B Instruct, Q4_K_M (about 1.1 GB; needs about 2 GB of memory): follows instructions and holds a
    /// conversation well for its size, runs at conversational speed on a laptop CPU, Apache-2.0, ChatML template.
    /// </summary>
    // Checksum: LFS oid of Qwen/Qwen2.5-1.5B-Instruct-GGUF@91cad511 qwen2.5-1.5b-instruct-q4_k_m.gguf; the same
    // sha256, size and commit are pinned independently by several public projects (model catalogs and install scripts).
    public static ModelCatalogEntry Default { get; } = new(
        Name: "qwen2.5-1.5b-instruct",
        FileName: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
        Url: new Uri("https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/91cad51170dc346986eccefdc2dd33a9da36ead9/qwen2.5-1.5b-instruct-q4_k_m.gguf"),
        Sha256: "6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e",
        SizeBytes: 1_117_320_736,
        Licence: "Apache-2.0",
        Description: "Qwen2.5 1.5B Instruct, Q4_K_M (1.1 GB). The default: a good talker that runs on a laptop CPU.");

    /// <summary>Every model in the catalog, <see cref="Default"/> first.</summary>
    public static IReadOnlyList<ModelCatalogEntry> All { get; } =
    [
        Default,

        // Checksum: LFS oid of Qwen/Qwen2.5-0.5B-Instruct-GGUF@9217f5db; same value pinned by several public projects.
        new(
            Name: "qwen2.5-0.5b-instruct",
            FileName: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
            Url: new Uri("https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf"),
            Sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
            SizeBytes: 491_400_032,
            Licence: "Apache-2.0",
            Description: "Qwen2.5 0.5B Instruct, Q4_K_M (0.5 GB). For small machines; noticeably less capable."),

        // Checksum: LFS oid of Qwen/Qwen2.5-3B-Instruct-GGUF@7dabda4d; same value pinned by several public projects.
        new(
            Name: "qwen2.5-3b-instruct",
            FileName: "qwen2.5-3b-instruct-q4_k_m.gguf",
            Url: new Uri("https://huggingface.co/Qwen/Qwen2.5-3B-Instruct-GGUF/resolve/7dabda4d13d513e3e842b20f0d435c732f172cbe/qwen2.5-3b-instruct-q4_k_m.gguf"),
            Sha256: "626b4a6678b86442240e33df819e00132d3ba7dddfe1cdc4fbb18e0a9615c62d",
            SizeBytes: 2_104_932_768,
            Licence: "Qwen Research License (non-commercial)",
            Description: "Qwen2.5 3B Instruct, Q4_K_M (2.1 GB). Better answers, about half the speed; research licence."),
    ];

    /// <summary>The entry called <paramref name="name"/> (case-insensitive), or null when there is none.</summary>
    public static ModelCatalogEntry? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
