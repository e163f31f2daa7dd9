namespace KMeansPS.Engine.Random;

/// <summary>
/// Natural log built only from IEEE-exact operations (+, -, *, /, bit manipulation), so it returns
/// the same bits on every platform; Math.Log defers to the C runtime, which differs between libms.
/// </summary>
internal static class PortableMath
{
    private const double Ln2 = 0.69314718055994530942;
    private const double Sqrt2 = 1.4142135623730950488;

    /// <summary>ln(x) for finite x &gt; 0, accurate to a few ulp.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x));
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0)
        {
            // Subnormal: scale into the normal range first.
            x *= 18014398509481984.0; // 2^54
            bits = BitConverter.DoubleToInt64Bits(x);
            exponent = (int)((bits >> 52) & 0x7FF) - 54;
        }
        int e = exponent - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2)
        {
            m *= 0.5;
            e++;
        }
        // ln(m) = 2 atanh(t), t = (m-1)/(m+1), |t| <= 0.1716; 2 t^(2k+1)/(2k+1) below 1e-17 by k = 11.
        double t = (m - 1.0) / (m + 1.0);
        double t2 = t * t;
        double sum = 0.0;
        for (int k = 11; k >= 0; k--)
        {
            sum = sum * t2 + 1.0 / (2 * k + 1);
        }
        return e * Ln2 + 2.0 * t * sum;
    }
}
