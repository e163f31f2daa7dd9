namespace KMeansPS.Imaging.Png.Filters;

/// <summary>
/// The reference: the PNG filters undone in place byte by byte, as the specification (section 9) writes them.
/// Every other path is tested against it.
/// </summary>
internal static class ReferenceFilters
{
    internal static bool Undo(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return true;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                return true;
            case 3:
                for (int i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + previous[i]) >> 1);
                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                    int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                return true;
            default:
                return false;
        }
    }
}
