# Every cmdlet's help is complete and every example in it runs (PSScriptAnalyzer's ModuleHelp.Tests style).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
    $script:commands = Get-Command -Module KMeansPS -CommandType Cmdlet | ForEach-Object {
        $help = Get-Help $_.Name -Full
        @{
            Name       = $_.Name
            Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters })
            Examples   = @($help.examples.example | ForEach-Object { @{ Command = $help.Name; Title = $_.title.Trim('- '); Code = $_.code } })
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-KMeansPSModulePath) -Force
}

AfterAll {
    Remove-Module KMeansPS -ErrorAction SilentlyContinue
}

Describe 'Help for <Name>' -ForEach $script:commands {
    BeforeAll {
        $script:help = Get-Help $Name -Full
    }

    It 'is generated from the doc comments, not PowerShell''s stub' {
        $script:help.Synopsis | Should -Not -BeLike "*$Name *[<CommonParameters>]*"
        $script:help.Synopsis.Length | Should -BeGreaterThan 20
        ($script:help.description.Text -join ' ').Length | Should -BeGreaterThan 80
    }

    It 'has at least one example with remarks' {
        $script:help.examples.example.Count | Should -BeGreaterThan 0
        foreach ($example in $script:help.examples.example) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes parameter -<_>' -ForEach $Parameters {
        $parameterHelp = $script:help.parameters.parameter | Where-Object name -eq $_
        $parameterHelp | Should -Not -BeNullOrEmpty
        ($parameterHelp.description.Text -join '') | Should -Not -BeNullOrEmpty
        $metadata = (Get-Command $Name).Parameters[$_]
        $mandatory = [bool] ($metadata.ParameterSets.Values | Where-Object IsMandatory)
        $parameterHelp.required | Should -Be ([string] $mandatory).ToLowerInvariant()
    }

    It 'names no parameter the cmdlet lacks' {
        $documented = @($script:help.parameters.parameter.name)
        $shouldProcess = if ((Get-Command $Name).Parameters.ContainsKey('WhatIf')) { 'WhatIf', 'Confirm' } else { @() }
        $documented | Where-Object { $_ -notin $Parameters -and $_ -notin $shouldProcess } | Should -BeNullOrEmpty
    }

    It 'lists -WhatIf and -Confirm in every syntax line exactly when the cmdlet supports ShouldProcess' {
        $supports = (Get-Command $Name).Parameters.ContainsKey('WhatIf')
        foreach ($item in @($script:help.syntax.syntaxItem)) {
            $names = @($item.parameter.name)
            ($names -contains 'WhatIf') | Should -Be $supports
            ($names -contains 'Confirm') | Should -Be $supports
        }
        $syntax = (Get-Help $Name).syntax | Out-String -Width 1000
        if ($supports) { $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]' } else { $syntax | Should -Not -Match 'WhatIf' }
    }

    It 'shows each parameter''s default value once' {
        foreach ($parameter in @($script:help.parameters.parameter)) {
            @($parameter.defaultValue).Count | Should -BeLessOrEqual 1 -Because "-$($parameter.name) has one default"
        }
    }
}

Describe 'Help details' {
    It 'Measure-ImageKMeans -K shows its list of defaults once' {
        $k = Get-Help Measure-ImageKMeans -Parameter K
        [string] $k.defaultValue | Should -Be '4, 8, 16, 32, 64, 128, 256'
        $text = Get-Help Measure-ImageKMeans -Parameter K | Out-String
        ([regex]::Matches($text, '128, 256')).Count | Should -Be 1
    }

    It 'Compress-ImageKMeans and Measure-ImageKMeans list -WhatIf/-Confirm; Invoke-KMeans, which writes no file, does not' {
        foreach ($name in 'Compress-ImageKMeans', 'Measure-ImageKMeans') {
            (Get-Help $name).syntax | Out-String -Width 1000 | Should -Match '\[-WhatIf\] \[-Confirm\]'
            (Get-Help $name -Parameter WhatIf).name | Should -Be 'WhatIf'
        }
        (Get-Help Invoke-KMeans).syntax | Out-String -Width 1000 | Should -Not -Match 'WhatIf'
    }
}

Describe 'Example <Title> of <Command> runs' -ForEach ($script:commands | ForEach-Object { $_.Examples }) {
    It 'runs without error in a folder with sample images' {
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $folder | Out-Null
        New-TestImageSet -Path $folder
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Set-Location -LiteralPath '$folder'; Import-Module '$(Get-KMeansPSModulePath)'; `$ErrorActionPreference = 'Stop'; $Code")
            $null = $ps.Invoke()
            $ps.Streams.Error | ForEach-Object { $_.ToString() } | Should -BeNullOrEmpty
            $ps.HadErrors | Should -BeFalse
        }
        finally {
            $ps.Dispose()
        }
    }
}
