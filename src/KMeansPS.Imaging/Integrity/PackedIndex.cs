namespace KMeansPS.Imaging.Integrity;

/// <summary>Palette indices of 1, 2, 4 or 8 bits packed in a row, the first in a byte's high bits, as PNG and BMP pack them.</summary>
internal static class PackedIndex
{
    /// <summary>The index in <paramref name="column"/> of <paramref name="row"/>.</summary>
    public static int At(ReadOnlySpan<byte> row, long column, int bits)
    {
        long bit = column * bits;
        return (row[(int)(bit / 8)] >> (int)(8 - bits - bit % 8)) & ((1 << bits) - 1);
    }
}
