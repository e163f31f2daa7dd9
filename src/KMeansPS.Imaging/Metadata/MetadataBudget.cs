using KMeansPS.Imaging.Integrity;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// How many bytes of metadata one output may carry: <see cref="IntegrityOptions.MaxMetadataBytes"/> in all (the limit
/// the integrity check already sets for one metadata block), counted as the blocks' inflated sizes, so a source
/// full of text or a deflate bomb in a zTXt chunk costs bounded work and gives a bounded output.
/// </summary>
internal sealed class MetadataBudget(long total)
{
    /// <summary>The default: <see cref="IntegrityOptions.MaxMetadataBytes"/>.</summary>
    public static MetadataBudget Default() => new(IntegrityOptions.Default.MaxMetadataBytes);

    /// <summary>Bytes still free.</summary>
    public long Remaining { get; private set; } = total;

    /// <summary>Takes <paramref name="bytes"/> when they fit; false (and nothing taken) when they do not.</summary>
    public bool TryTake(long bytes)
    {
        if (bytes < 0 || bytes > Remaining) return false;
        Remaining -= bytes;
        return true;
    }
}
