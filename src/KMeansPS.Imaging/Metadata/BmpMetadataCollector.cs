using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Collects what a BMP source's output carries from its info header: the density (pixels per metre, as pHYs holds it,
/// when both are set) and, from a version 5 header (124 bytes) whose colour space is PROFILE_EMBEDDED, the ICC profile
/// it points at. A profile linked by file name is not followed, and an OS/2 header (12 or 64 bytes) has neither.
/// </summary>
internal static class BmpMetadataCollector
{
    private const int V5 = 124;
    private const uint ProfileEmbedded = 0x4D424544; // 'MBED'

    public static CarriedMetadata Collect(ReadOnlySpan<byte> file, MetadataBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        const int info = 14;
        if (file.Length < info + 40 || !file.StartsWith("BM"u8)) return CarriedMetadata.None;
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(file[info..]);
        if (headerSize is < 40 or 64 || file.Length < info + headerSize) return CarriedMetadata.None;
        int x = BinaryPrimitives.ReadInt32LittleEndian(file[(info + 24)..]), y = BinaryPrimitives.ReadInt32LittleEndian(file[(info + 28)..]);
        PixelDensity? density = x > 0 && y > 0 ? PixelDensity.PerMetre(x, y) : null;
        byte[]? profile = null;
        if (headerSize >= V5 && BinaryPrimitives.ReadUInt32LittleEndian(file[(info + 56)..]) == ProfileEmbedded)
        {
            // Offset from the start of the info header, and size.
            long at = info + (long)BinaryPrimitives.ReadUInt32LittleEndian(file[(info + 112)..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(file[(info + 116)..]);
            if (size >= 128 && at <= file.Length - size && budget.TryTake(size)) profile = file.Slice((int)at, (int)size).ToArray();
        }
        return new CarriedMetadata
        {
            IccProfile = profile,
            IccName = profile is null ? IccProfileInfo.DefaultName : IccProfileInfo.NameOf(profile),
            Density = density,
        };
    }
}
