// 802.1Q tagging for one device's ingress, as tc programs: what a VLAN interface (module 8021q) or
// a VLAN-filtering bridge would do, on hosts whose kernel has neither. Compiled per use by
// dev.portside.agent.VlanPrograms, which defines either UNTAG_CASES (untag: "case <vlan>: target =
// <ifindex>; break;" for each VLAN, and OTHER_VLANS, the action for a frame of any other VLAN) or
// VLAN_ID and TARGET (tag).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifdef UNTAG_CASES
// A frame of a known VLAN leaves its tag here and goes out the VLAN's device; untagged frames take
// the device's normal path. (The kernel has moved any tag into skb->vlan_tci before tc ingress.)
SEC("tc")
int untag(struct __sk_buff *skb)
{
	__u32 target;

	if (!skb->vlan_present)
		return TC_ACT_UNSPEC;
	switch (skb->vlan_tci & 0x0fff) {
	UNTAG_CASES
	default:
		return OTHER_VLANS;
	}
	if (bpf_skb_vlan_pop(skb))
		return TC_ACT_SHOT;
	return bpf_redirect(target, 0);
}
#else
// Every frame in gets VLAN_ID's tag and goes out TARGET, the trunk's link.
SEC("tc")
int tag(struct __sk_buff *skb)
{
	if (bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), VLAN_ID))
		return TC_ACT_SHOT;
	return bpf_redirect(TARGET, 0);
}
#endif

char _license[] SEC("license") = "GPL";
