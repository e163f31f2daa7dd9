BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-KMeansPSModulePath
    Import-Module $script:ModulePath -Force
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'KMeansPS module' {
    It 'has a valid manifest that targets PowerShell 7.4 Core' {
        $manifest = Test-ModuleManifest $script:ModulePath
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.Version | Should -Not -Be ([version]'0.0')
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $listed = (Import-PowerShellDataFile $script:ModulePath).CmdletsToExport | Sort-Object
        $exported = (Get-Command -Module KMeansPS).Name | Sort-Object
        $exported | Should -Be $listed
    }

    It 'loads its dependencies into its own AssemblyLoadContext, not the default one' {
        # Force the engine to load, then look where it landed.
        $null = New-SyntheticClusterData -Count 1 -Clusters 1 -Seed 1
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS.Engine' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'KMeansPS'
        $cmdlets = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KMeansPS' }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets[0]).Name | Should -Be 'Default'
    }

    It 'ships no System.Management.Automation and keeps third-party assemblies under Dependencies' {
        $root = Split-Path $script:ModulePath
        Get-ChildItem $root -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
        (Get-ChildItem $root -Filter '*.dll').Name | Should -Be @('KMeansPS.dll')
        Test-Path (Join-Path $root 'LICENSE') | Should -BeTrue
    }
}

Describe 'Dependency isolation' {
    It 'keeps working when another SixLabors.ImageSharp is already loaded in the default context' {
        # A fake ImageSharp 1.0 in the default load context, as another module might bring; ours must not bind to it.
        $dir = Join-Path $TestDrive 'other'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $fake = Join-Path $dir 'SixLabors.ImageSharp.dll'
        $script = @"
`$ab = [System.Reflection.Emit.PersistedAssemblyBuilder]::new([Reflection.AssemblyName]::new('SixLabors.ImageSharp, Version=1.0.0.0'), [object].Assembly)
`$null = `$ab.DefineDynamicModule('SixLabors.ImageSharp').DefineType('SixLabors.ImageSharp.Image', [Reflection.TypeAttributes]::Public).CreateType()
`$ab.Save('$fake')
`$null = [Reflection.Assembly]::LoadFrom('$fake')
Import-Module '$(Get-KMeansPSModulePath)'
New-Item -ItemType Directory -Path '$dir/img' | Out-Null
Import-Module '$(Join-Path $PSScriptRoot 'TestHelpers.psm1')'
`$null = New-TestPng -Path '$dir/img/a.png'
`$r = Compress-ImageKMeans -LiteralPath '$dir/img/a.png' -K 8 -Seed 1
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'SixLabors.ImageSharp' }
'{0};{1}' -f `$r.ColorsUsed, ((`$loaded | ForEach-Object { '{0}@{1}' -f `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object) -join ',')
"@
        $out = & (Get-ChildPwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out | Should -Be '8;1.0.0.0@Default,2.0.0.0@KMeansPS'
    }
}

Describe 'Completion' {
    It 'completes -K with palette sizes' {
        $line = 'Compress-ImageKMeans -K '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain '64'
        $result.CompletionMatches.CompletionText | Should -Contain '256'
    }

    It 'completes -ColorSpace with its values' {
        $line = 'Compress-ImageKMeans -ColorSpace '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('OkLab', 'Rgb')
    }
}
