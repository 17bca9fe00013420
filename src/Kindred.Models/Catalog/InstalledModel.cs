namespace Kindred.Models.Catalog;

/// <summary>One line of <c>kindred model list</c>: a catalog model (downloaded or not) or another GGUF file found in the models folder.</summary>
/// <param name="Name">Catalog name, or the file name without <c>.gguf</c> for a file not in the catalog.</param>
/// <param name="Path">Where the file is, or would be once downloaded.</param>
/// <param name="IsInstalled">Whether the file is there. Presence only: the checksum is verified on download, not here.</param>
/// <param name="SizeBytes">Size on disk when installed; otherwise the catalog's download size.</param>
/// <param name="CatalogEntry">The catalog entry; null for a file the catalog does not know.</param>
public sealed record InstalledModel(string Name, string Path, bool IsInstalled, long SizeBytes, ModelCatalogEntry? CatalogEntry)
{
    /// <summary>Whether this is <see cref="ModelCatalog.Default"/>.</summary>
    public bool IsDefault => CatalogEntry == ModelCatalog.Default;
}
