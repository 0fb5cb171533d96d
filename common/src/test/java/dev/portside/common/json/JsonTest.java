package dev.portside.common.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {
    @Test
    void aTreeBuiltDirectlyIsTheTreeTheMapperWouldMake() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("connectivity", "l2");
        nested.put("port_filter", true);
        nested.put("mtu", 1500);
        nested.put("big", 1L << 40);
        nested.put("ratio", new BigDecimal("1.5"));
        nested.put("none", null);
        nested.put("list", Arrays.asList("a", 2, false, null, Map.of("k", "v")));

        assertThat(Json.tree(nested)).isEqualTo(Json.MAPPER.valueToTree(nested));
        assertThat(Json.tree(List.of())).isEqualTo(Json.array());
        assertThat(Json.tree(Map.of())).isEqualTo(Json.object());
    }
}
