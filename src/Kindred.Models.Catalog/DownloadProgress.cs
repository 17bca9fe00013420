namespace Kindred.Models.Catalog;

/// <summary>How far a download has got.</summary>
/// <param name="BytesDone">Bytes of the file on disk so far, including a resumed prefix.</param>
/// <param name="TotalBytes">Size of the whole file; null when neither the server nor the catalog says.</param>
public readonly record struct DownloadProgress(long BytesDone, long? TotalBytes)
{
    /// <summary>Share done from 0 to 1; null when the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 and var total ? Math.Min(1.0, (double)BytesDone / total) : null;
}
